package dev.berth.runner.cli;

import java.util.List;
import java.util.Map;

/**
 * JVM-wide settings of a process that runs one client command and exits, made in {@code main}
 * before any library reads them. A client command prints its own errors and keeps the libraries
 * quiet ({@link ClientLogging}), so what only a long-running process needs is skipped, which is
 * most of a command's start:
 *
 * <ul>
 *   <li>SLF4J binds its no-operation provider instead of logback, whose XML configuration costs
 *       about 100 ms and 600 classes for a log nobody sees;
 *   <li>Netty does not probe for Flight Recorder events;
 *   <li>Netty does not load its native transport (epoll), which the client does not use.
 * </ul>
 *
 * <p>{@code berth agent} and {@code berth operator} log, and so does any command with {@code
 * BERTH_DEBUG} set (then the libraries speak again). A property set already, with {@code -D}, wins.
 */
final class ClientJvm {

  /** The words that make this process a long-running one with a log of its own. */
  private static final List<String> LOGGING_COMMANDS = List.of("agent", "operator");

  static final Map<String, String> PROPERTIES =
      Map.of(
          "slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider",
          // SLF4J says at INFO which provider the property chose; a client prints nothing of it.
          "slf4j.internal.verbosity", "WARN",
          "io.grpc.netty.shaded.io.netty.jfr.enabled", "false",
          // The client speaks OkHttp over a unix socket and Netty over NIO to a TCP address
          // (AgentConnection); without this, gRPC's first look at whether epoll is available
          // copies Netty's native library out of the jar and loads it.
          "io.grpc.netty.shaded.io.netty.transport.noNative", "true");

  private ClientJvm() {}

  /**
   * Applies the settings unless {@code args} run a logging command or {@code BERTH_DEBUG} is set. A
   * service named {@code agent} makes a client command log as the agent would: slower, not wrong.
   *
   * @return whether this process runs a client command (false for a logging one)
   */
  static boolean configure(String[] args, CliEnvironment environment) {
    for (String arg : args) {
      if (LOGGING_COMMANDS.contains(arg)) {
        return false;
      }
    }
    if (environment.variable("BERTH_DEBUG") != null) {
      return true;
    }
    PROPERTIES.forEach(
        (name, value) -> {
          if (System.getProperty(name) == null) {
            System.setProperty(name, value);
          }
        });
    return true;
  }
}
