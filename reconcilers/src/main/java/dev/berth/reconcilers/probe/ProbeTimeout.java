package dev.berth.reconcilers.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * The one rule every prober applies to its timeout, and the words it uses when it runs out. Public
 * so that probers in other modules (berth-probe-grpc) apply it too.
 */
public final class ProbeTimeout {

  private ProbeTimeout() {}

  /**
   * The timeout in whole milliseconds, at least one: the socket and gRPC APIs read zero as "wait
   * forever", which a probe must never do.
   *
   * @throws IllegalArgumentException if the timeout is zero or negative, a caller's mistake
   */
  public static long millis(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("probe timeout must be positive, was " + timeout);
    }
    return Math.max(1, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
  }

  /** The detail of a probe that ran out of {@code timeout}. */
  public static String timedOut(Duration timeout) {
    return "timed out after " + timeout.toMillis() + " ms";
  }
}
