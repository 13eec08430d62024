package dev.berth.runner.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.store.file.TomlText;
import java.util.List;

/**
 * Parses the configuration file's text into a tree of TOML tables, or says where it is not TOML,
 * with the parser and the rules of service files ({@link TomlText}).
 */
final class ConfigText {

  private ConfigText() {}

  /**
   * The document's root table.
   *
   * @throws ConfigException with one error, {@code line L, column C: TOML syntax error: ...}
   */
  static ObjectNode parse(String text, String file) {
    try {
      return TomlText.parse(text);
    } catch (TomlText.SyntaxException e) {
      return failed(file, where(e) + e.getMessage());
    }
  }

  private static ObjectNode failed(String file, String message) {
    throw new ConfigException(file, List.of(new ConfigError("", message)));
  }

  private static String where(TomlText.SyntaxException e) {
    if (e.line() <= 0) {
      return "";
    }
    return "line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ": ";
  }
}
