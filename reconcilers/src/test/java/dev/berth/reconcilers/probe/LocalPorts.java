package dev.berth.reconcilers.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1 for the probe tests. */
public final class LocalPorts {

  public static final String HOST = "127.0.0.1";

  private LocalPorts() {}

  /**
   * A port that was free a moment ago and where nothing listens now: bound to an ephemeral port and
   * closed again, so a connection to it is refused (unless another process takes it in between,
   * which the kernel's ephemeral port rotation makes unlikely).
   */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A listening socket that accepts connections in the kernel but never reads or answers: the
   * stand-in for a workload that hangs.
   */
  public static ServerSocket silentServer() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getByName(HOST));
  }
}
