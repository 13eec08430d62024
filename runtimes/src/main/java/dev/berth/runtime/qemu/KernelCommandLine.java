package dev.berth.runtime.qemu;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a kernel booted directly: the spec's environment as {@code KEY=value}
 * parameters, then its args, joined by single spaces.
 *
 * <p>Linux hands every parameter it does not know itself, and whose name has no dot, to init: as an
 * environment variable if it has a value ({@code PORT_WEB=8080}), as an argument if not. That is
 * how a guest learns its route's port. The environment goes first, so that an argument {@code --}
 * (after which Linux hands everything to init as arguments) does not swallow it.
 *
 * <p>What Linux cannot carry is refused (INVALID_SPEC), never mangled: a value with a double quote
 * or a control character (Linux has no escape), more than {@value #MAX_ENV} variables (more panic
 * the kernel: it keeps {@code HOME} and {@code TERM} in a table of 32), and a line longer than
 * {@value #MAX_LENGTH} bytes (x86's {@code COMMAND_LINE_SIZE}, 2048 with the closing NUL). A value
 * with spaces (or any character beyond ASCII) is quoted, {@code KEY="a b"}: Linux drops the quotes.
 */
final class KernelCommandLine {

  /** The longest command line x86 Linux accepts, in bytes. */
  static final int MAX_LENGTH = 2047;

  /** How many variables Linux passes to init besides its own HOME and TERM. */
  static final int MAX_ENV = 30;

  private KernelCommandLine() {}

  /**
   * The command line, or the empty string when there is nothing to say.
   *
   * @throws RuntimeFailure INVALID_SPEC if Linux cannot carry it
   */
  static String of(Map<String, String> env, List<String> args) {
    if (env.size() > MAX_ENV) {
      throw invalid(
          "a kernel passes at most " + MAX_ENV + " environment variables, were " + env.size());
    }
    List<String> parameters = new ArrayList<>();
    env.forEach((key, value) -> parameters.add(parameter(key, value)));
    parameters.addAll(args);
    String line = String.join(" ", parameters);
    int length = line.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_LENGTH) {
      throw invalid(
          "the kernel command line (env and args) is "
              + length
              + " bytes, more than the "
              + MAX_LENGTH
              + " Linux accepts");
    }
    return line;
  }

  private static String parameter(String key, String value) {
    if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw invalid("env " + key + ": a kernel parameter's name is an identifier");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || Character.isISOControl(c)) {
        throw invalid(
            "env "
                + key
                + ": the kernel command line cannot carry a double quote or a control character");
      }
    }
    return needsQuotes(value) ? key + "=\"" + value + "\"" : key + "=" + value;
  }

  /**
   * A space ends a parameter; so does byte 0xa0, which Linux's ctype takes for a space too, and
   * which is part of many UTF-8 characters (à is c3 a0): quoted, neither does.
   */
  private static boolean needsQuotes(String value) {
    return value.chars().anyMatch(c -> c == ' ' || c > 0x7e);
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "qemu: " + message, (String) null);
  }
}
