package dev.berth.store.toml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.time.DateTimeException;
import java.util.Optional;

/**
 * Parses the text of a file into a tree of TOML tables, or says where and why it is not TOML. Used
 * for service definitions and for the agent's configuration file.
 */
public final class TomlText {

  /**
   * The deepest nesting of arrays, inline tables and tables read. A service definition nests a few
   * levels; the parser recurses once per level, so without a small bound a file of nested {@code [}
   * exhausts the thread's stack before the parser's own limit (1000) is reached.
   */
  public static final int MAX_NESTING = 32;

  // Dates and times come back as java.time values, not as strings: a date written where a string
  // belongs is then reported as a date, and "1979-05-27 07:32:00" is not rewritten with a 'T'.
  private static final TomlMapper MAPPER =
      TomlMapper.builder(
              TomlFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .build())
          .enable(TomlReadFeature.PARSE_JAVA_TIME)
          .build();

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private TomlText() {}

  /** Text that is not TOML, or that the parser would misread. */
  public static final class SyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The line of the error, or 0 when no line is known. */
    private final int line;

    /** The column of the error, or 0 when it is not known. */
    private final int column;

    SyntaxException(int line, String message) {
      this(line, 0, message);
    }

    SyntaxException(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }

    /** The line of the error, or 0 when no line is known. */
    public int line() {
      return line;
    }

    /** The column of the error on {@link #line()}, or 0 when it is not known. */
    public int column() {
      return column;
    }
  }

  /** The document's root table. */
  public static ObjectNode parse(String text) throws SyntaxException {
    // Some editors start UTF-8 files with a byte order mark; it is not part of the document.
    String toml = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    JsonNode tree;
    try {
      tree = MAPPER.readTree(toml);
    } catch (StreamConstraintsException e) {
      // The parser gives no position for this one.
      throw new SyntaxException(
          0,
          "arrays, inline tables and tables are nested too deep: Berth reads at most "
              + MAX_NESTING
              + " levels");
    } catch (JsonProcessingException e) {
      SyntaxPosition position = SyntaxPosition.of(toml, e.getLocation(), e.getOriginalMessage());
      throw new SyntaxException(
          position.line(), position.column(), syntaxMessage(e.getOriginalMessage()));
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
