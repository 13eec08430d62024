package dev.berth.reconcilers.route.nginx;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a listener answers: a connection is made, this side closes it for writing, and the
 * listener must close its side (or send anything) within a bound.
 *
 * <p>The kernel completes a connection even when no process accepts it, so a connection alone does
 * not tell a hung nginx from a working one; the close does. nginx closes a connection that ends
 * before a request at once, on every kind of listener Berth renders (http, TLS, the stream servers
 * that read the SNI), and logs that only at level {@code info}, below the {@code notice} of Berth's
 * error log: a check every second leaves no trace there.
 */
final class ListenerCheck {

  private ListenerCheck() {}

  /**
   * @return why the listener at {@code address} does not answer within {@code timeout}; empty if it
   *     answers
   */
  static Optional<String> unanswered(InetSocketAddress address, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) Math.max(1, timeout.toMillis()));
      socket.shutdownOutput();
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      // A byte or the end of the stream: either way a process took the connection and acted.
      socket.getInputStream().read();
      return Optional.empty();
    } catch (SocketTimeoutException e) {
      return Optional.of(
          "listener " + show(address) + " does not answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return Optional.of("listener " + show(address) + " refuses connections");
    } catch (IOException e) {
      return Optional.of("listener " + show(address) + " fails: " + e.getMessage());
    }
  }

  private static String show(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
