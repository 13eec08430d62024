package dev.berth.runner.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from the process around it. {@link #system()} for the real thing; tests pass
 * their own variables, clock and stop signal.
 *
 * @param variables environment variables ({@code BERTH_SOCKET}, {@code BERTH_TOKEN_FILE})
 * @param clock for uptimes and for how long {@code apply --wait} took
 * @param stopSignal how a followed stream learns of Ctrl-C
 * @param stdin what {@code apply -f -} reads
 */
public record CliEnvironment(
    Map<String, String> variables, Clock clock, StopSignal stopSignal, InputStream stdin) {

  public static final String SOCKET_VARIABLE = "BERTH_SOCKET";
  public static final String TOKEN_FILE_VARIABLE = "BERTH_TOKEN_FILE";

  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stopSignal, "stopSignal");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** An environment whose standard input is the process's. */
  public CliEnvironment(Map<String, String> variables, Clock clock, StopSignal stopSignal) {
    this(variables, clock, stopSignal, System.in);
  }

  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), Clock.systemUTC(), StopSignal.shutdownHooks());
  }

  /** The variable's value, or null when it is unset or empty. */
  public String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
