package dev.berth.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.berth.spec.validation.Rules;
import java.math.BigDecimal;
import java.util.Locale;

/** How a TOML value looks in a message: {@code a string ("443")}, {@code an integer (70000)}. */
final class TomlValues {

  private TomlValues() {}

  static String describe(JsonNode value) {
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
      // The parser drops a trailing ".0"; "a float (2)" would read like an integer.
      if (value.numberValue() instanceof BigDecimal decimal && decimal.scale() <= 0) {
        return "a float (" + decimal.setScale(1).toPlainString() + ")";
      }
      return "a float (" + value.numberValue() + ")";
    }
    if (value.isArray()) {
      return "an array";
    }
    if (value.isObject()) {
      return "a table";
    }
    if (value instanceof POJONode pojo) {
      return "a date or time (" + pojo.getPojo() + ")";
    }
    return "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
