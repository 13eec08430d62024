package dev.berth.store.toml;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.Map;
import java.util.Set;

/**
 * Where a TOML syntax error is, from where the parser says it is.
 *
 * <p>jackson-dataformat-toml reads one token ahead: after it takes a token, its lexer already
 * stands at the start of the next one, past any spaces, comments and newlines. An error about the
 * token just taken (a {@code [[table]} closed by {@code ]}, a key set twice, a value cut off by the
 * end of the file) is therefore reported where the next token starts, which is the next line when
 * the bad token ends its line. Errors of the lexer itself ({@code Unknown token}) and errors about
 * the token ahead are reported where they are. This tells the two apart and moves the first back to
 * the line of the token it is about.
 *
 * @param line 1-based, or 0 when unknown
 * @param column 1-based, or 0 when unknown (a position moved back keeps only its line)
 */
record SyntaxPosition(int line, int column) {

  /** Messages of the lexer: it reports the position of the text it could not read. */
  private static final Set<String> LEXER_MESSAGES =
      Set.of(
          "Unknown token",
          "Newline not permitted here",
          "Comment not permitted here",
          "Illegal control character",
          "Invalid code point",
          "Unknown escape sequence",
          "More data after value has already ended. Invalid value preceding this position?");

  private static final String UNEXPECTED = "Unexpected token: Got ";

  /** The first character of the punctuation tokens, to see whether the token ahead is the one. */
  private static final Map<String, Character> PUNCTUATION =
      Map.ofEntries(
          Map.entry("DOT_SEP", '.'),
          Map.entry("STD_TABLE_OPEN", '['),
          Map.entry("ARRAY_TABLE_OPEN", '['),
          Map.entry("ARRAY_OPEN", '['),
          Map.entry("STD_TABLE_CLOSE", ']'),
          Map.entry("ARRAY_TABLE_CLOSE", ']'),
          Map.entry("ARRAY_CLOSE", ']'),
          Map.entry("INLINE_TABLE_OPEN", '{'),
          Map.entry("INLINE_TABLE_CLOSE", '}'),
          Map.entry("KEY_VAL_SEP", '='),
          Map.entry("COMMA", ','));

  static SyntaxPosition of(String text, JsonLocation location, String message) {
    if (location == null || location.getLineNr() <= 0) {
      return new SyntaxPosition(0, 0);
    }
    int line = location.getLineNr();
    int column = Math.max(0, location.getColumnNr());
    String[] lines = text.split("\n", -1);
    if (line > lines.length
        || !firstOnItsLine(lines[line - 1], column)
        || !aboutTheTokenBefore(text, location.getCharOffset(), message)) {
      return new SyntaxPosition(line, column);
    }
    // Between the token before and the reported position there are only blanks and comments.
    int before = line - 1;
    while (before >= 1 && isBlankOrComment(lines[before - 1])) {
      before--;
    }
    return before >= 1 ? new SyntaxPosition(before, 0) : new SyntaxPosition(line, column);
  }

  private static boolean firstOnItsLine(String line, int column) {
    int end = Math.min(line.length(), Math.max(0, column - 1));
    return line.substring(0, end).isBlank();
  }

  private static boolean aboutTheTokenBefore(String text, long offset, String message) {
    if (message == null
        || LEXER_MESSAGES.contains(message)
        || message.startsWith("Zero-prefixed")) {
      return false;
    }
    if (!message.startsWith(UNEXPECTED)) {
      return true;
    }
    if (offset < 0 || offset >= text.length()) {
      // The token ahead is the end of the file, so the token the parser got came before it.
      return true;
    }
    String got = message.substring(UNEXPECTED.length()).split("[ ,]", 2)[0];
    Character first = PUNCTUATION.get(got);
    return first != null && text.charAt((int) offset) != first;
  }

  private static boolean isBlankOrComment(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() || trimmed.startsWith("#");
  }
}
