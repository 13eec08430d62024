package dev.berth.store.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Reads single TOML values as the type a field needs, and reports a value of another type as a
 * violation at its path. Nothing is converted: {@code "443"} is not a port and {@code 8080} is not
 * a string, because a loader that guesses would change what the author wrote.
 */
public final class Values {

  private Values() {}

  /** The string, or null after reporting a value of another type. */
  public static String string(JsonNode value, String path, List<Violation> problems) {
    if (!value.isTextual()) {
      problems.add(new Violation(path, "must be a string, was " + describe(value)));
      return null;
    }
    return value.textValue();
  }

  /** The boolean, or null after reporting a value of another type. */
  public static Boolean bool(JsonNode value, String path, List<Violation> problems) {
    if (!value.isBoolean()) {
      problems.add(new Violation(path, "must be true or false, was " + describe(value)));
      return null;
    }
    return value.booleanValue();
  }

  /**
   * The integer, or 0 after reporting a problem. The model holds ints; an integer beyond them is
   * reported with {@code rule}, the field's own rule from {@link Rules}, so that the message reads
   * as the validator's would. Integers that fit are left to the validator.
   */
  public static int integer(
      JsonNode value, String path, LongFunction<String> rule, List<Violation> problems) {
    if (!value.isIntegralNumber()) {
      problems.add(new Violation(path, "must be an integer, was " + describe(value)));
      return 0;
    }
    if (value.canConvertToInt()) {
      return value.intValue();
    }
    if (!value.canConvertToLong()) {
      // Only hexadecimal, octal or binary literals get here; OverlongIntegers refuses long
      // decimal ones before. TOML itself allows no more than 64 bits.
      problems.add(new Violation(path, "must be a 64-bit integer, was " + value.bigIntegerValue()));
      return 0;
    }
    long number = value.longValue();
    String broken = rule.apply(number);
    problems.add(
        new Violation(
            path,
            broken != null ? broken : Rules.range(number, Integer.MIN_VALUE, Integer.MAX_VALUE)));
    return 0;
  }

  /**
   * The parser keeps floats as exact decimals but drops a trailing ".0", and "a float (2)" would
   * read as if the author had written an integer.
   */
  private static String floatText(JsonNode value) {
    if (value.numberValue() instanceof BigDecimal decimal && decimal.scale() <= 0) {
      return decimal.setScale(1).toPlainString();
    }
    return value.numberValue().toString();
  }

  /** How a value looks, for messages: {@code a string ("443")}, {@code an integer (70000)}. */
  public static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string (" + Rules.quote(value.textValue()) + ")";
    }
    if (value.isBoolean()) {
      return "a boolean (" + value.booleanValue() + ")";
    }
    if (value.isIntegralNumber()) {
      return "an integer (" + value.bigIntegerValue() + ")";
    }
    if (value.isNumber()) {
      return "a float (" + floatText(value) + ")";
    }
    if (value.isArray()) {
      return "an array";
    }
    if (value.isObject()) {
      return "a table";
    }
    if (value instanceof POJONode pojo) {
      // TomlText asks the parser for java.time values, so a date is never mistaken for a string.
      return "a date or time (" + pojo.getPojo() + ")";
    }
    return "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
