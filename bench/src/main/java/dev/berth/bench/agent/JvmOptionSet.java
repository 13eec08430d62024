package dev.berth.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM options one agent is measured with, under a short name for the tables. */
record JvmOptionSet(String name, List<String> options) {

  /** The name of the set read from {@code bin/berth}. */
  static final String BIN_BERTH = "bin/berth";

  /** The name of the set without any option: the JVM's own defaults. */
  static final String JVM_DEFAULTS = "jvm-defaults";

  /** {@code exec java ${BERTH_JAVA_OPTS:-<the defaults>} -jar ...} in bin/berth. */
  private static final Pattern BIN_BERTH_DEFAULTS =
      Pattern.compile("\\$\\{BERTH_JAVA_OPTS:-([^}]*)}");

  JvmOptionSet {
    options = List.copyOf(options);
  }

  static JvmOptionSet jvmDefaults() {
    return new JvmOptionSet(JVM_DEFAULTS, List.of());
  }

  /** The options bin/berth gives the JVM when BERTH_JAVA_OPTS is not set. */
  static JvmOptionSet fromBinBerth(Path script) throws IOException {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(
          script + ": no such file; run from the repository root, or give --opts OPTIONS");
    }
    Matcher matcher = BIN_BERTH_DEFAULTS.matcher(Files.readString(script));
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          script + ": found no ${BERTH_JAVA_OPTS:-...} default options in it; give --opts OPTIONS");
    }
    return new JvmOptionSet(BIN_BERTH, split(matcher.group(1)));
  }

  /**
   * An {@code --opts} value: {@code bin/berth}, {@code jvm-defaults}, {@code NAME=OPTIONS} or just
   * OPTIONS (then named by themselves). A value starting with {@code -} is options, whatever {@code
   * =} it holds ({@code -XX:MaxMetaspaceSize=64m}).
   */
  static JvmOptionSet parse(String value, Path binBerth) throws IOException {
    String trimmed = value.strip();
    if (trimmed.equals(BIN_BERTH)) {
      return fromBinBerth(binBerth);
    }
    if (trimmed.equals(JVM_DEFAULTS) || trimmed.isEmpty()) {
      return jvmDefaults();
    }
    int equals = trimmed.indexOf('=');
    if (!trimmed.startsWith("-") && equals > 0) {
      return new JvmOptionSet(
          trimmed.substring(0, equals).strip(), split(trimmed.substring(equals + 1)));
    }
    return new JvmOptionSet(trimmed, split(trimmed));
  }

  /** The options as one line, for the progress output. */
  String describe() {
    return options.isEmpty() ? "(none)" : String.join(" ", options);
  }

  private static List<String> split(String options) {
    String trimmed = options.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }
}
