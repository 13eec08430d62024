package dev.berth.reconcilers.route;

import java.util.Objects;

/**
 * Whether the node's proxy serves, as last looked at: its process runs and takes signals, and every
 * listener it should have answers a connection.
 *
 * @param serving true when it does
 * @param reason why it does not, for an operator ({@code nginx's master (pid 4711) is gone});
 *     {@code serving} when it does
 */
public record ProxyHealth(boolean serving, String reason) {

  /** The proxy serves. */
  public static final ProxyHealth SERVING = new ProxyHealth(true, "serving");

  /** Requires a reason, and one that says something when the proxy does not serve. */
  public ProxyHealth {
    Objects.requireNonNull(reason, "reason");
    if (!serving && reason.isBlank()) {
      throw new IllegalArgumentException("reason: must say why the proxy does not serve");
    }
  }

  /** The proxy does not serve, because of {@code reason}. */
  public static ProxyHealth down(String reason) {
    return new ProxyHealth(false, reason);
  }
}
