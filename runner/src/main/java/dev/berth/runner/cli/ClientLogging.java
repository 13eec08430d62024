package dev.berth.runner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the libraries of a client command quiet: the CLI reports failures itself, as one {@code
 * error:} line, and Netty's debug chatter or gRPC's warnings about a refused connection would only
 * bury it. The agent configures its own logging; this runs in client processes only. With {@code
 * BERTH_DEBUG} set, the libraries speak again.
 */
final class ClientLogging {

  // java.util.logging holds loggers weakly: without this reference the level could be forgotten.
  private static final Logger GRPC = Logger.getLogger("io.grpc");

  private ClientLogging() {}

  static void quiet(CliEnvironment environment) {
    if (environment.variable("BERTH_DEBUG") != null) {
      return;
    }
    GRPC.setLevel(java.util.logging.Level.OFF);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
    }
  }
}
