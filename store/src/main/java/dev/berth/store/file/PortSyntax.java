package dev.berth.store.file;

import dev.berth.spec.model.PortMapping;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code [ip:]host:container} spelling of a published port, with an IPv6 address in
 * brackets ({@code [::1]:8080:80}). Only the shape is checked here, and numbers that do not fit the
 * model; the validator checks the address and the port ranges.
 */
final class PortSyntax {

  static final String FORM = "\"[ip:]host:container\", such as \"127.0.0.1:8080:80\"";

  // 18 digits always fit a long; a longer "port" is not a number worth reading.
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  private PortSyntax() {}

  /** The mapping, or null after reporting a string of another shape. */
  static PortMapping parse(String text, String path, List<Violation> problems) {
    String ip = null;
    String ports = text;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || !text.startsWith(":", close + 1)) {
        return malformed(text, path, problems);
      }
      ip = text.substring(1, close);
      ports = text.substring(close + 2);
    }
    String[] parts = ports.split(":", -1);
    if (ip == null && parts.length == 3) {
      ip = parts[0];
      parts = new String[] {parts[1], parts[2]};
    } else if (ip == null && parts.length > 3) {
      problems.add(
          new Violation(
              path,
              "an IPv6 address goes in brackets, such as \"[::1]:8080:80\", was "
                  + Rules.quote(text)));
      return null;
    }
    if (parts.length != 2
        || !NUMBER.matcher(parts[0]).matches()
        || !NUMBER.matcher(parts[1]).matches()) {
      return malformed(text, path, problems);
    }
    int host = port(parts[0], path + ".host", problems);
    int container = port(parts[1], path + ".container", problems);
    return new PortMapping(ip, host, container);
  }

  /** The number if it fits an int (the validator checks its range), else 0 after a report. */
  private static int port(String digits, String path, List<Violation> problems) {
    long number = Long.parseLong(digits);
    if (number > Integer.MAX_VALUE) {
      problems.add(new Violation(path, Rules.port(number)));
      return 0;
    }
    return (int) number;
  }

  private static PortMapping malformed(String text, String path, List<Violation> problems) {
    problems.add(new Violation(path, "must be " + FORM + ", was " + Rules.quote(text)));
    return null;
  }
}
