package dev.berth.runner.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code berth} in this JVM, as the shell would, and keeps what it printed. */
final class Cli {

  /**
   * What one run gave.
   *
   * @param exitCode what the process would exit with
   * @param out what it printed to stdout
   * @param err what it printed to stderr
   */
  record Run(int exitCode, String out, String err) {

    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private final Map<String, String> variables;
  private final StopSignal stopSignal;
  private final byte[] stdin;

  private Cli(Map<String, String> variables, StopSignal stopSignal, byte[] stdin) {
    this.variables = variables;
    this.stopSignal = stopSignal;
    this.stdin = stdin;
  }

  /** A CLI with no environment variables. */
  static Cli plain() {
    return new Cli(Map.of(), new ManualStopSignal(), new byte[0]);
  }

  /** A CLI whose $BERTH_SOCKET is {@code socket}. */
  static Cli onSocket(Path socket) {
    return plain().withVariables(Map.of(CliEnvironment.SOCKET_VARIABLE, socket.toString()));
  }

  Cli withVariables(Map<String, String> variables) {
    return new Cli(variables, stopSignal, stdin);
  }

  Cli withStopSignal(StopSignal signal) {
    return new Cli(variables, signal, stdin);
  }

  /** A CLI whose standard input holds {@code text}, as a pipe would. */
  Cli withStdin(String text) {
    return new Cli(variables, stopSignal, text.getBytes(StandardCharsets.UTF_8));
  }

  Run run(String... args) {
    return start(args).await();
  }

  /** Runs in a thread of its own, for commands that follow a stream until stopped. */
  Running start(String... args) {
    return new Running(args);
  }

  /** A run under way; what it printed so far can be read while it runs. */
  final class Running {
    // StringWriter appends to a StringBuffer: safe to read while the command writes.
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit;

    private Running(String[] args) {
      // Never the client configuration of whoever runs the tests: only one a test names.
      Map<String, String> environment = new HashMap<>();
      environment.put("XDG_CONFIG_HOME", "/nonexistent/berth-tests");
      environment.putAll(variables);
      CommandLine line =
          BerthCli.commandLine(
              new CliEnvironment(
                  environment, Clock.systemUTC(), stopSignal, new ByteArrayInputStream(stdin)),
              args);
      line.setOut(new PrintWriter(out, true));
      line.setErr(new PrintWriter(err, true));
      exit = CompletableFuture.supplyAsync(() -> line.execute(args));
    }

    String outSoFar() {
      return out.toString();
    }

    Run await() {
      try {
        int code = exit.get(30, TimeUnit.SECONDS);
        return new Run(code, out.toString(), err.toString());
      } catch (Exception e) {
        exit.cancel(true);
        throw new AssertionError("the command did not end: " + e, e);
      }
    }
  }
}
