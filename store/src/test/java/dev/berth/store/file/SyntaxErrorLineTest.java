package dev.berth.store.file;

import static dev.berth.store.file.BerthExtensionsTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TOML syntax error names the line the mistake is on, not the line where the parser, reading one
 * token ahead, happened to stand. Each case puts the mistake on line 3, once in the middle of the
 * file and once on its last line (with and without a final newline).
 */
class SyntaxErrorLineTest {

  private static final String BEFORE = "name = \"web\"\n# the service's port\n";
  private static final String AFTER = "\n\n# more to come\n[[components]]\nname = \"app\"\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          an unclosed string               | description = "no end        | Newline not permitted here
          a missing equals sign            | description "text"           | Unknown token
          a table header left open         | [build                       | Newline not permitted here
          an array table closed by one ]   | [[components]                | Unexpected token: Got STD_TABLE_CLOSE, expected ARRAY_TABLE_CLOSE
          a table closed by two ]          | [build]]                     | Unexpected token: Got ARRAY_TABLE_CLOSE, expected STD_TABLE_CLOSE
          a key set twice                  | name = "api"                 | Duplicate key
          """)
  void aSyntaxErrorInTheMiddleNamesItsLine(String mistake, String line, String message) {
    assertThat(errors(BEFORE + line + AFTER))
        .singleElement()
        .asString()
        .startsWith("web.toml:3: TOML syntax error: " + message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          an unclosed string               | description = "no end        | Newline not permitted here
          a missing equals sign            | description "text"           | Unknown token
          a table header left open         | [build                       | Newline not permitted here
          an array table closed by one ]   | [[components]                | Unexpected token: Got STD_TABLE_CLOSE, expected ARRAY_TABLE_CLOSE
          an array left open               | env = ["A=1",                | Premature end of file
          a key set twice                  | name = "api"                 | Duplicate key
          """)
  void aSyntaxErrorOnTheLastLineNamesItsLine(String mistake, String line, String message) {
    assertThat(errors(BEFORE + line + "\n"))
        .singleElement()
        .asString()
        .startsWith("web.toml:3: TOML syntax error: " + message);
    assertThat(errors(BEFORE + line + "\n\n# the end\n"))
        .singleElement()
        .asString()
        .startsWith("web.toml:3: TOML syntax error: " + message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          an unclosed string at the very end    | description = "no end | Premature end of file
          a missing equals sign at the very end | description "text"    | Unknown token
          a table header cut off by the end     | [build                | Premature end of file
          """)
  void aSyntaxErrorOnALastLineWithoutNewlineNamesItsLine(
      String mistake, String line, String message) {
    assertThat(errors(BEFORE + line))
        .singleElement()
        .asString()
        .startsWith("web.toml:3: TOML syntax error: " + message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a bare word where a value belongs | description = text  | Unknown token
          an equals sign where a key belongs | = "text"           | Unexpected token: Got KEY_VAL_SEP
          """)
  void anErrorAboutTheFirstTokenOfALineStaysOnThatLine(
      String mistake, String line, String message) {
    assertThat(errors(BEFORE + line + AFTER))
        .singleElement()
        .asString()
        .startsWith("web.toml:3: TOML syntax error: " + message);
  }
}
