package dev.berth.store.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.time.DateTimeException;
import java.util.Optional;

/** Parses the text of a file into a tree of TOML tables, or says where and why it is not TOML. */
final class TomlText {

  // Dates and times come back as java.time values, not as strings: a date written where a string
  // belongs is then reported as a date, and "1979-05-27 07:32:00" is not rewritten with a 'T'.
  private static final TomlMapper MAPPER =
      TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private TomlText() {}

  /** Text that is not TOML, or that the parser would misread. */
  static final class SyntaxException extends Exception {

    private final int line;

    SyntaxException(int line, String message) {
      super(message);
      this.line = line;
    }

    /** The line the parser reported, or 0. */
    int line() {
      return line;
    }
  }

  static ObjectNode parse(String text) throws SyntaxException {
    // Some editors start UTF-8 files with a byte order mark; it is not part of the document.
    String toml = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    JsonNode tree;
    try {
      tree = MAPPER.readTree(toml);
    } catch (JsonProcessingException e) {
      throw new SyntaxException(line(e.getLocation()), syntaxMessage(e.getOriginalMessage()));
    } catch (DateTimeException e) {
      // The parser hands a well-formed but impossible date (February 30) to java.time unchecked.
      throw new SyntaxException(0, "invalid TOML date or time: " + e.getMessage());
    }
    Optional<OverlongIntegers.Found> overlong = OverlongIntegers.find(toml);
    if (overlong.isPresent()) {
      throw new SyntaxException(
          overlong.get().line(),
          "integer "
              + overlong.get().literal()
              + " is too long: Berth reads integers of at most "
              + OverlongIntegers.MAX_DIGITS
              + " digits");
    }
    return tree instanceof ObjectNode root ? root : MAPPER.createObjectNode();
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  private static String syntaxMessage(String parserMessage) {
    String message = "TOML syntax error: " + parserMessage;
    if ("Duplicate key".equals(parserMessage)) {
      // The parser notices a duplicate only after reading the next token, so its line can be
      // below the key: say which way to look.
      message += " (a key is set twice in one table, at or above this line)";
    }
    return message;
  }
}
