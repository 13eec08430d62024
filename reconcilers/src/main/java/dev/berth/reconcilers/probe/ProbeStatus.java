package dev.berth.reconcilers.probe;

import java.time.Instant;
import java.util.Objects;

/**
 * What the probes of one running workload found so far ({@link WorkloadProbes}). A workload not
 * probed yet has none.
 *
 * @param healthy whether its last probe passed
 * @param consecutiveFailures failures in a row, counted at most once a probe period (0 after a
 *     pass): what a liveness probe's failure threshold is compared with
 * @param lastError what the last probe found if it failed (connection refused, HTTP 503); null
 *     while it passes
 * @param checkedAt when it was last probed
 */
public record ProbeStatus(
    boolean healthy, int consecutiveFailures, String lastError, Instant checkedAt) {

  /** Requires the time of the check and a failure count not below 0. */
  public ProbeStatus {
    Objects.requireNonNull(checkedAt, "checkedAt");
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures must be >= 0");
    }
  }

  /** Passed at {@code at}. */
  public static ProbeStatus passed(Instant at) {
    return new ProbeStatus(true, 0, null, at);
  }

  /** Failed {@code failures} times in a row, the last time at {@code at} for {@code error}. */
  public static ProbeStatus failed(int failures, String error, Instant at) {
    return new ProbeStatus(false, failures, error, at);
  }
}
