package dev.berth.store.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.Wire;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A TOML table at a known field path. Its reads return the value as the field's type, or a neutral
 * value (null, 0, empty) after adding a violation to the shared list, so that one pass over a file
 * reports every problem in it.
 */
final class Table {

  private final ObjectNode node;
  private final String path;
  private final List<Violation> problems;

  Table(ObjectNode node, String path, List<Violation> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /**
   * Reports every key not in {@code known}, with the closest known key when one is close. Unknown
   * keys are errors because a misspelt optional key would otherwise be dropped without a word.
   */
  void rejectUnknownKeys(List<String> known) {
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

  boolean has(String key) {
    return node.has(key);
  }

  String pathOf(String key) {
    return FieldPath.key(path, key);
  }

  void report(String key, String message) {
    problems.add(new Violation(pathOf(key), message));
  }

  /** The value as the parser gave it, or null when absent. */
  JsonNode raw(String key) {
    return node.get(key);
  }

  String string(String key) {
    JsonNode value = node.get(key);
    return value == null ? null : Values.string(value, pathOf(key), problems);
  }

  Boolean bool(String key) {
    JsonNode value = node.get(key);
    return value == null ? null : Values.bool(value, pathOf(key), problems);
  }

  /** The integer, or 0 when absent; see {@link Values#integer} for {@code rule}. */
  int integer(String key, LongFunction<String> rule) {
    JsonNode value = node.get(key);
    return value == null ? 0 : Values.integer(value, pathOf(key), rule, problems);
  }

  /** One of an enum's wire spellings, exactly; null when absent or not one of them. */
  <E extends Enum<E>> E choice(String key, Class<E> type, Function<E, String> wire) {
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
  record Element(String path, String text) {}

  /** An array of strings; empty when absent. A single string is refused, not wrapped. */
  List<String> strings(String key) {
    return stringElements(key).stream().map(Element::text).toList();
  }

  /**
   * The strings of an array with their paths, so that a problem with one of them names the element
   * it is in the file, even after an element of the wrong type has been left out.
   */
  List<Element> stringElements(String key) {
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
  Map<String, String> stringTable(String key) {
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
  Table table(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof ObjectNode object)) {
      report(key, "must be a table, was " + Values.describe(value));
      return null;
    }
    return new Table(object, pathOf(key), problems);
  }

  /**
   * An array of tables, such as {@code [[components]]}; empty when absent.
   *
   * @param header how the author writes one element, for the message when the value is not an array
   */
  List<Table> tables(String key, String header) {
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
        out.add(new Table(object, elementPath, problems));
      } else {
        problems.add(
            new Violation(elementPath, "must be a table, was " + Values.describe(value.get(i))));
      }
    }
    return out;
  }
}
