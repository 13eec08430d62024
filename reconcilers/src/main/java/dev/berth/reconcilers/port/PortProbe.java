package dev.berth.reconcilers.port;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Asks the operating system whether a TCP port is free, by binding it for a moment. The port is
 * checked on the wildcard address and on loopback: either being held (by anything) makes it unfit.
 */
public final class PortProbe {

  private PortProbe() {}

  /** Whether {@code port} can be bound now, on the wildcard and the loopback address. */
  public static boolean free(int port) {
    return bindable(new InetSocketAddress(port))
        && bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR a port in TIME_WAIT counts as busy, which is the safe answer.
      socket.setReuseAddress(false);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
