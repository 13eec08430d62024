package dev.berth.store.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.DurationSyntax;
import dev.berth.spec.model.Wire;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A TOML table at a known field path, as service definitions and the agent's configuration file
 * read it. Its reads return the value as the field's type, or a neutral value (null, 0, empty) or
 * the caller's fallback after adding a violation to the shared list, so that one pass over a file
 * reports every problem in it. Nothing is converted: {@code "4"} is not a number and {@code 30} is
 * not a duration, because a loader that guesses changes what the author wrote.
 */
public final class Table {

  private final ObjectNode node;
  private final String path;
  private final Path base;
  private final List<Violation> problems;

  private Table(ObjectNode node, String path, Path base, List<Violation> problems) {
    this.node = node;
    this.path = path;
    this.base = base;
    this.problems = problems;
  }

  /** A document's root table; problems are added to {@code problems}. */
  public static Table root(ObjectNode node, List<Violation> problems) {
    return new Table(node, "", null, problems);
  }

  /**
   * A document's root table whose paths ({@link #path(String)}) are resolved against {@code base}.
   */
  public static Table root(ObjectNode node, Path base, List<Violation> problems) {
    return new Table(node, "", base, problems);
  }

  private Table child(ObjectNode object, String childPath) {
    return new Table(object, childPath, base, problems);
  }

  /**
   * Reports every key not in {@code known}, with the closest known key when one is close. Unknown
   * keys are errors because a misspelt optional key would otherwise be dropped without a word.
   */
  public void rejectUnknownKeys(List<String> known) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      if (!known.contains(key)) {
        String hint =
            ClosestKey.among(key, known)
                .map(k -> "; did you mean " + Rules.quote(k) + "?")
                .orElse(" (the keys here are " + String.join(", ", known) + ")");
        report(key, "unknown key" + hint);
      }
    }
  }

  /** Whether the table has {@code key}, of any type. */
  public boolean has(String key) {
    return node.has(key);
  }

  /** Whether the key holds an array without elements. */
  public boolean isEmptyArray(String key) {
    JsonNode value = node.get(key);
    return value != null && value.isArray() && value.isEmpty();
  }

  /** The table's own field path; empty for the root. */
  public String path() {
    return path;
  }

  /** The field path of {@code key} in this table, as violations name it. */
  public String pathOf(String key) {
    return FieldPath.key(path, key);
  }

  /** Adds a violation of {@code key}, saying {@code message}. */
  public void report(String key, String message) {
    problems.add(new Violation(pathOf(key), message));
  }

  /** Records a problem at a path of its own, such as an array element's. */
  public void reportAt(String fieldPath, String message) {
    problems.add(new Violation(fieldPath, message));
  }

  /** The value as the parser gave it, or null when absent. */
  public JsonNode raw(String key) {
    return node.get(key);
  }

  /** The string at {@code key}, or null when it is absent or (with a violation) not a string. */
  public String string(String key) {
    JsonNode value = node.get(key);
    return value == null ? null : Values.string(value, pathOf(key), problems);
  }

  /** The string, or {@code fallback} when absent or (after reporting) not a string. */
  public String string(String key, String fallback) {
    String text = string(key);
    return text == null ? fallback : text;
  }

  /** The boolean at {@code key}, or null when it is absent or (with a violation) not a boolean. */
  public Boolean bool(String key) {
    JsonNode value = node.get(key);
    return value == null ? null : Values.bool(value, pathOf(key), problems);
  }

  /** The boolean, or {@code fallback} when absent or (after reporting) not a boolean. */
  public boolean bool(String key, boolean fallback) {
    Boolean value = bool(key);
    return value == null ? fallback : value;
  }

  /** The integer, or 0 when absent; see {@link Values#integer} for {@code rule}. */
  public int integer(String key, LongFunction<String> rule) {
    JsonNode value = node.get(key);
    return value == null ? 0 : Values.integer(value, pathOf(key), rule, problems);
  }

  /**
   * An integer within {@code min..max}, or {@code fallback} when absent or (after reporting) not
   * one.
   */
  public long integer(String key, long min, long max, long fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      report(key, "must be an integer, was " + Values.describe(value));
      return fallback;
    }
    if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
      report(key, "must be " + min + ".." + max + ", was " + value.bigIntegerValue());
      return fallback;
    }
    return value.longValue();
  }

  /**
   * A positive duration as {@link DurationSyntax} reads it, or {@code fallback} when absent or
   * (after reporting) not one.
   */
  public Duration duration(String key, Duration fallback) {
    String text = string(key);
    if (text == null) {
      return fallback;
    }
    Duration parsed = DurationSyntax.parse(text);
    if (parsed == null) {
      report(
          key,
          "must be a duration such as " + DurationSyntax.EXAMPLES + ", was " + Rules.quote(text));
      return fallback;
    }
    if (parsed.isZero()) {
      report(key, "must be positive, was " + Rules.quote(text));
      return fallback;
    }
    return parsed;
  }

  /** One of {@code allowed}, exactly as written there; {@code fallback} when absent or not one. */
  public String choice(String key, List<String> allowed, String fallback) {
    String text = string(key);
    if (text == null) {
      return fallback;
    }
    if (!allowed.contains(text)) {
      report(key, "must be one of " + String.join(", ", allowed) + ", was " + Rules.quote(text));
      return fallback;
    }
    return text;
  }

  /**
   * A path, resolved against the root's base directory: null when the value is absent or empty (the
   * caller decides what that means: a default, or "disabled").
   */
  public Path path(String key) {
    String text = string(key);
    return text == null || text.isEmpty() ? null : resolve(key, text);
  }

  /** {@code text}, a path written at {@code key}, resolved against the root's base directory. */
  public Path resolve(String key, String text) {
    if (base == null) {
      throw new IllegalStateException("a table without a base directory reads no paths");
    }
    try {
      return base.resolve(text).normalize();
    } catch (InvalidPathException e) {
      report(key, "must be a file path, was " + Rules.quote(text) + " (" + e.getReason() + ")");
      return null;
    }
  }

  /** One of an enum's wire spellings, exactly; null when absent or not one of them. */
  public <E extends Enum<E>> E choice(String key, Class<E> type, Function<E, String> wire) {
    String text = string(key);
    if (text == null) {
      return null;
    }
    Optional<E> value = Wire.parse(type, wire, text);
    if (value.isEmpty()) {
      report(key, "must be one of " + Wire.choices(type, wire) + ", was " + Rules.quote(text));
      return null;
    }
    return value.get();
  }

  /**
   * A string of an array, with its own path.
   *
   * @param path such as {@code components[0].volumes[2]}
   * @param text the string
   */
  public record Element(String path, String text) {}

  /** An array of strings; empty when absent. A single string is refused, not wrapped. */
  public List<String> strings(String key) {
    return stringElements(key).stream().map(Element::text).toList();
  }

  /**
   * The strings of an array with their paths, so that a problem with one of them names the element
   * it is in the file, even after an element of the wrong type has been left out.
   */
  public List<Element> stringElements(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      report(key, "must be an array of strings, was " + Values.describe(value));
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String path = FieldPath.element(pathOf(key), i);
      String text = Values.string(value.get(i), path, problems);
      if (text != null) {
        out.add(new Element(path, text));
      }
    }
    return out;
  }

  /** A table whose keys are data and whose values are strings, in file order; empty if absent. */
  public Map<String, String> stringTable(String key) {
    Table table = table(key);
    if (table == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : table.node.properties()) {
      String entryPath = FieldPath.entry(table.path, field.getKey());
      String text = Values.string(field.getValue(), entryPath, problems);
      if (text != null) {
        out.put(field.getKey(), text);
      }
    }
    return out;
  }

  /** A sub-table, or null when absent or not a table. */
  public Table table(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof ObjectNode object)) {
      report(key, "must be a table, was " + Values.describe(value));
      return null;
    }
    return child(object, pathOf(key));
  }

  /**
   * A section of a file of fixed sections ({@code [api]}); an empty one when absent, so that every
   * read gives its default.
   */
  public Table section(String key) {
    JsonNode value = node.get(key);
    if (value instanceof ObjectNode object) {
      return child(object, pathOf(key));
    }
    if (value != null) {
      report(key, "must be a table ([" + pathOf(key) + "]), was " + Values.describe(value));
    }
    return child(JsonNodeFactory.instance.objectNode(), pathOf(key));
  }

  /**
   * An array of tables, such as {@code [[components]]}; empty when absent.
   *
   * @param header how the author writes one element, for the message when the value is not an array
   */
  public List<Table> tables(String key, String header) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      report(key, "must be an array of tables (" + header + "), was " + Values.describe(value));
      return List.of();
    }
    List<Table> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String elementPath = FieldPath.element(pathOf(key), i);
      if (value.get(i) instanceof ObjectNode object) {
        out.add(child(object, elementPath));
      } else {
        problems.add(
            new Violation(elementPath, "must be a table, was " + Values.describe(value.get(i))));
      }
    }
    return out;
  }
}
