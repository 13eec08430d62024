package dev.berth.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.validation.Rules;
import dev.berth.store.file.ClosestKey;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A table of the configuration file at a known key path. Every read returns the value, or the
 * fallback after recording what is wrong with it, so that one pass over the file reports every
 * problem. Nothing is converted: {@code "4"} is not a number of workers and {@code 30} is not a
 * duration, because a loader that guesses changes what the operator wrote.
 */
final class TomlTable {

  private final ObjectNode node;
  private final String path;
  private final Path workingDir;
  private final List<ConfigError> errors;

  TomlTable(ObjectNode node, String path, Path workingDir, List<ConfigError> errors) {
    this.node = node;
    this.path = path;
    this.workingDir = workingDir;
    this.errors = errors;
  }

  /**
   * An element of an array of strings, with its own key path.
   *
   * @param path such as {@code runtimes.enabled[1]}
   * @param text the string
   */
  record Element(String path, String text) {}

  /**
   * Reports every key not in {@code known}, with the closest known key when one is close: a
   * misspelt optional key would otherwise be dropped without a word.
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

  /** Whether the key holds an array without elements. */
  boolean isEmptyArray(String key) {
    JsonNode value = node.get(key);
    return value != null && value.isArray() && value.isEmpty();
  }

  /** The table's own key path; empty for the root. */
  String path() {
    return path;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void report(String key, String message) {
    errors.add(new ConfigError(pathOf(key), message));
  }

  /** Records a problem at a path of its own, such as an array element's. */
  void reportAt(String keyPath, String message) {
    errors.add(new ConfigError(keyPath, message));
  }

  String string(String key, String fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual()) {
      report(key, "must be a string, was " + TomlValues.describe(value));
      return fallback;
    }
    return value.textValue();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      report(key, "must be true or false, was " + TomlValues.describe(value));
      return fallback;
    }
    return value.booleanValue();
  }

  /** An integer within {@code min..max}. */
  long integer(String key, long min, long max, long fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      report(key, "must be an integer, was " + TomlValues.describe(value));
      return fallback;
    }
    if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
      report(key, "must be " + min + ".." + max + ", was " + value.bigIntegerValue());
      return fallback;
    }
    return value.longValue();
  }

  /** A positive duration written as {@link Durations} reads it. */
  Duration duration(String key, Duration fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    Duration parsed = Durations.parse(text);
    if (parsed == null) {
      report(
          key, "must be a duration such as " + Durations.EXAMPLES + ", was " + Rules.quote(text));
      return fallback;
    }
    if (parsed.isZero()) {
      report(key, "must be positive, was " + Rules.quote(text));
      return fallback;
    }
    return parsed;
  }

  /** One of {@code allowed}, exactly as written there. */
  String choice(String key, List<String> allowed, String fallback) {
    String text = string(key, null);
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
   * A path, resolved against the working directory: null when the value is absent or empty (the
   * caller decides what that means: a default, or "disabled").
   */
  Path path(String key) {
    String text = string(key, null);
    return text == null || text.isEmpty() ? null : resolve(key, text);
  }

  /** {@code text}, a path written at {@code key}, resolved against the working directory. */
  Path resolve(String key, String text) {
    try {
      return workingDir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      report(key, "must be a file path, was " + Rules.quote(text) + " (" + e.getReason() + ")");
      return null;
    }
  }

  /** An array of strings, each with its path; empty when absent. A lone string is refused. */
  List<Element> strings(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      report(key, "must be an array of strings, was " + TomlValues.describe(value));
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String elementPath = pathOf(key) + "[" + i + "]";
      JsonNode element = value.get(i);
      if (element.isTextual()) {
        out.add(new Element(elementPath, element.textValue()));
      } else {
        reportAt(elementPath, "must be a string, was " + TomlValues.describe(element));
      }
    }
    return out;
  }

  /** A sub-table; an empty one when absent (every read then gives its default). */
  TomlTable table(String key) {
    JsonNode value = node.get(key);
    if (value instanceof ObjectNode object) {
      return new TomlTable(object, pathOf(key), workingDir, errors);
    }
    if (value != null) {
      report(key, "must be a table ([" + pathOf(key) + "]), was " + TomlValues.describe(value));
    }
    return new TomlTable(JsonNodeFactory.instance.objectNode(), pathOf(key), workingDir, errors);
  }

  /** An array of tables such as {@code [[stages]]}; empty when absent. */
  List<TomlTable> tables(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      report(
          key,
          "must be an array of tables ([["
              + pathOf(key)
              + "]]), was "
              + TomlValues.describe(value));
      return List.of();
    }
    List<TomlTable> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String elementPath = pathOf(key) + "[" + i + "]";
      if (value.get(i) instanceof ObjectNode object) {
        out.add(new TomlTable(object, elementPath, workingDir, errors));
      } else {
        reportAt(elementPath, "must be a table, was " + TomlValues.describe(value.get(i)));
      }
    }
    return out;
  }
}
