package dev.berth.store.toml;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds decimal integers of more than {@value #MAX_DIGITS} digits in TOML text.
 *
 * <p>Why this exists: jackson-dataformat-toml 2.22 misreads such integers without an error ({@code
 * 1234567890123456789} becomes {@code 123456789}, {@code -9999999999999999999} loses its sign; see
 * FasterXML/jackson-dataformats-text#663). A memory of {@code 1000000000000000512} would load as
 * 512 MiB. No Berth setting needs more than ten digits, so refusing longer integers costs nothing
 * and keeps the promise that a value is never silently changed. Remove this class once the parser
 * reads them right.
 *
 * <p>It runs only on text that the parser accepted, so TOML's simple rules for strings and comments
 * are enough to skip them, and every other run of digits is part of a value, a bare key, a float or
 * a date, told apart by the characters around it.
 */
final class OverlongIntegers {

  static final int MAX_DIGITS = 18;

  private static final Pattern DECIMAL_INTEGER = Pattern.compile("[+-]?[0-9][0-9_]*");

  private OverlongIntegers() {}

  /**
   * An integer literal as it is written, and its line (from 1).
   *
   * @param line the line it is on
   * @param literal its text, with sign and underscores
   */
  record Found(int line, String literal) {}

  /** The first overlong integer of {@code toml}, if it has one. */
  static Optional<Found> find(String toml) {
    int line = 1;
    int i = 0;
    while (i < toml.length()) {
      char c = toml.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '#') {
        i = toml.indexOf('\n', i);
        i = i < 0 ? toml.length() : i;
      } else if (c == '"' || c == '\'') {
        int end = endOfString(toml, i);
        line += (int) toml.substring(i, end).chars().filter(ch -> ch == '\n').count();
        i = end;
      } else if (startsValue(toml, i)) {
        int end = endOfToken(toml, i);
        String token = toml.substring(i, end);
        if (DECIMAL_INTEGER.matcher(token).matches()
            && digits(token) > MAX_DIGITS
            && !followedByKeySeparator(toml, end)) {
          return Optional.of(new Found(line, token));
        }
        i = end;
      } else {
        i++;
      }
    }
    return Optional.empty();
  }

  /**
   * A digit, or a sign before one, right after a character that can precede a value or a bare key.
   * Digits inside bare keys ({@code a1}) and the parts of dates ({@code 05} in {@code 1979-05-27})
   * follow other characters and are skipped with their token.
   */
  private static boolean startsValue(String toml, int i) {
    char c = toml.charAt(i);
    boolean signed = (c == '+' || c == '-') && i + 1 < toml.length() && isDigit(toml.charAt(i + 1));
    if (!isDigit(c) && !signed) {
      return false;
    }
    return i == 0 || " \t\r\n=[,{".indexOf(toml.charAt(i - 1)) >= 0;
  }

  /** Floats, dates, times and hexadecimals are one token with their letters, dots and colons. */
  private static int endOfToken(String toml, int start) {
    int i = start + 1;
    while (i < toml.length()) {
      char c = toml.charAt(i);
      if (!(Character.isLetterOrDigit(c) || "_.:+-".indexOf(c) >= 0)) {
        break;
      }
      i++;
    }
    return i;
  }

  /** A bare key of digits ({@code 1234 = "x"}) is a key, not an integer. */
  private static boolean followedByKeySeparator(String toml, int end) {
    int i = end;
    while (i < toml.length() && (toml.charAt(i) == ' ' || toml.charAt(i) == '\t')) {
      i++;
    }
    return i < toml.length() && (toml.charAt(i) == '=' || toml.charAt(i) == '.');
  }

  private static int endOfString(String toml, int start) {
    char quote = toml.charAt(start);
    String triple = String.valueOf(quote).repeat(3);
    boolean escapes = quote == '"';
    boolean multiLine = toml.startsWith(triple, start);
    int i = start + (multiLine ? 3 : 1);
    while (i < toml.length()) {
      char c = toml.charAt(i);
      if (escapes && c == '\\') {
        i += 2;
      } else if (multiLine && toml.startsWith(triple, i)) {
        // Up to two quotes before the closing three belong to the string.
        int end = i + 3;
        while (end < toml.length() && end < i + 5 && toml.charAt(end) == quote) {
          end++;
        }
        return end;
      } else if (!multiLine && c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return toml.length();
  }

  private static int digits(String token) {
    return (int) token.chars().filter(OverlongIntegers::isDigit).count();
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
