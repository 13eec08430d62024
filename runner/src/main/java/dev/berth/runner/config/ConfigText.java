package dev.berth.runner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.time.DateTimeException;

/**
 * Parses the configuration file's text into a tree of TOML tables, or says where it is not TOML.
 */
final class ConfigText {

  // Dates come back as java.time values, so a date written where a string belongs is reported as
  // a date rather than read as text.
  private static final TomlMapper MAPPER =
      TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private ConfigText() {}

  /**
   * The document's root table.
   *
   * @throws ConfigException with one error, {@code line L, column C: TOML syntax error: ...}
   */
  static ObjectNode parse(String text, String file) {
    // Some editors start UTF-8 files with a byte order mark; it is not part of the document.
    String toml = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    JsonNode tree;
    try {
      tree = MAPPER.readTree(toml);
    } catch (JsonProcessingException e) {
      throw syntaxError(file, where(e.getLocation()) + "TOML syntax error: " + message(e));
    } catch (DateTimeException e) {
      // The parser hands a well-formed but impossible date (February 30) to java.time unchecked.
      throw syntaxError(file, "invalid TOML date or time: " + e.getMessage());
    }
    return tree instanceof ObjectNode root ? root : MAPPER.createObjectNode();
  }

  private static ConfigException syntaxError(String file, String message) {
    return new ConfigException(file, java.util.List.of(new ConfigError("", message)));
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() <= 0) {
      return "";
    }
    return "line "
        + location.getLineNr()
        + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "")
        + ": ";
  }

  private static String message(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if ("Duplicate key".equals(message)) {
      // The parser notices a duplicate only after the next token, so its line can be below the key.
      return message + " (a key is set twice in one table, at or above this line)";
    }
    return message;
  }
}
