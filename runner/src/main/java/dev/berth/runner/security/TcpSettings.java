package dev.berth.runner.security;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TCP listener. With {@code tls} it serves mutual TLS; without, it serves plain TCP, which is
 * only accepted when {@code insecureAllowed} says the operator asked for it ({@code
 * --insecure-listen}).
 *
 * @param address where to listen; port 0 picks a free port ({@link ApiServers#tcpAddress()} tells
 *     which)
 * @param tls mutual TLS, or null for plain TCP
 * @param insecureAllowed whether plain TCP was explicitly allowed; ignored when {@code tls} is set
 */
public record TcpSettings(InetSocketAddress address, TlsSettings tls, boolean insecureAllowed) {

  public TcpSettings {
    Objects.requireNonNull(address, "address");
    if (tls == null && !insecureAllowed) {
      throw new IllegalArgumentException(
          "TCP listener on "
              + ApiServers.describe(address)
              + ": needs TLS settings (mutual TLS); plain TCP is unauthenticated and unencrypted and"
              + " is only served when explicitly allowed (--insecure-listen)");
    }
  }

  /** A mutual TLS listener. */
  public static TcpSettings mutualTls(InetSocketAddress address, TlsSettings tls) {
    return new TcpSettings(address, Objects.requireNonNull(tls, "tls"), false);
  }

  /** A plain TCP listener, explicitly allowed. */
  public static TcpSettings insecure(InetSocketAddress address) {
    return new TcpSettings(address, null, true);
  }

  /** Whether this listener serves plain TCP. */
  public boolean plaintext() {
    return tls == null;
  }
}
