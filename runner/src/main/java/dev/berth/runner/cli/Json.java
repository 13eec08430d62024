package dev.berth.runner.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The {@code --json} output: the API's own messages in protobuf's JSON mapping, so scripts read the
 * same field names as the proto file documents, as plain UTF-8 JSON: {@code "a=b"}, not {@code
 * "a\u003db"}.
 */
final class Json {

  private static final JsonFormat.Printer PRETTY = JsonFormat.printer();
  private static final JsonFormat.Printer ONE_LINE =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private Json() {}

  /** One document, indented: for answers. */
  static String document(MessageOrBuilder message) {
    return print(PRETTY, message);
  }

  /** One document on one line: for streams, one line per message (JSON Lines). */
  static String line(MessageOrBuilder message) {
    return print(ONE_LINE, message);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return withoutHtmlEscapes(printer.print(message));
    } catch (InvalidProtocolBufferException e) {
      // Only an Any of an unknown type fails to print, and the API has none.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * {@code json} with the escapes of HTML's characters written as the characters again. JsonFormat
   * writes strings with Gson, which escapes {@code < > & = '} for embedding in HTML and offers no
   * way not to; an operator reading {@code cmd = ["a\u003db"]} is no better off for it. Only those
   * five are unescaped: control characters, quotes and backslashes stay escaped, so the document is
   * the same JSON. An escaped backslash ({@code \\}) is copied as it is, so that the text {@code
   * \u003d} in a value, written {@code \\u003d}, stays what it was.
   */
  static String withoutHtmlEscapes(String json) {
    if (json.indexOf("\\u00") < 0) {
      return json;
    }
    StringBuilder plain = new StringBuilder(json.length());
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 >= json.length()) {
        plain.append(c);
        i++;
        continue;
      }
      char next = json.charAt(i + 1);
      if (next == 'u' && i + 6 <= json.length()) {
        char unescaped = htmlCharacter(json.substring(i + 2, i + 6));
        if (unescaped != 0) {
          plain.append(unescaped);
          i += 6;
          continue;
        }
      }
      // Any other escape, \\ included, is two characters at least; copy them together.
      plain.append(c).append(next);
      i += 2;
    }
    return plain.toString();
  }

  /** The character of one of Gson's HTML escapes ({@code 003d}), else 0. */
  private static char htmlCharacter(String hex) {
    switch (hex) {
      case "003c":
        return '<';
      case "003e":
        return '>';
      case "0026":
        return '&';
      case "003d":
        return '=';
      case "0027":
        return '\'';
      default:
        return 0;
    }
  }
}
