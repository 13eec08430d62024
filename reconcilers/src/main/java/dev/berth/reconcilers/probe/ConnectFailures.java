package dev.berth.reconcilers.probe;

import java.net.ConnectException;
import java.util.Locale;

/**
 * Turns the JDK's and netty's connect errors into the short words an operator expects. Public so
 * that probers in other modules (berth-probe-grpc) say the same words.
 */
public final class ConnectFailures {

  private ConnectFailures() {}

  /** The first {@link ConnectException} in {@code failure}'s causes, described; or null. */
  public static String describeIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException connect) {
        return describe(connect);
      }
    }
    return null;
  }

  /**
   * {@code e} in an operator's words: "connection refused", or "cannot connect: " and the JDK's
   * message.
   */
  public static String describe(ConnectException e) {
    String message = e.getMessage();
    // The JDK HttpClient throws a ConnectException without a message for a refused connection.
    if (message == null || message.toLowerCase(Locale.ROOT).contains("refused")) {
      return "connection refused";
    }
    return "cannot connect: " + message;
  }
}
