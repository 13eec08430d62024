package dev.berth.spec.validation;

/**
 * Quotes user input inside error messages without letting it mangle them: the one place that
 * escapes and shortens what a caller sent before it is echoed back (by the validator, and by the
 * agent's API for names it cannot validate).
 */
public final class Text {

  /** Long enough to recognise a value, short enough that a 10 000-character one stays readable. */
  static final int SHOWN = 64;

  private Text() {}

  /** The value in double quotes, control characters escaped, cut after {@value #SHOWN} chars. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(value.length(), SHOWN);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    if (value.length() > SHOWN) {
      out.append("... (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }

  static boolean hasControl(String value, boolean allowWhitespace) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && !(allowWhitespace && (c == '\n' || c == '\t'))) {
        return true;
      }
    }
    return false;
  }
}
