package dev.berth.reconcilers.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a component that keeps exiting waits before its next restart: the first restart is at
 * once (a single crash or an out-of-band kill is repaired promptly), then {@code initial}, doubling
 * up to {@code max}. A component that ran for {@code resetAfter} starts counting from zero again.
 *
 * @param initial the wait after the first restart
 * @param max the longest wait
 * @param resetAfter how long a run must last to forgive earlier crashes
 */
public record CrashLoopBackoff(Duration initial, Duration max, Duration resetAfter) {

  /** As kubelet does, in spirit: seconds at first, minutes at worst, forgiven after 10 minutes. */
  public static final CrashLoopBackoff DEFAULT =
      new CrashLoopBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10));

  /** Requires all three durations. */
  public CrashLoopBackoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("crash-loop backoff needs 0 <= initial <= max");
    }
  }

  /** The wait after restart number {@code restarts} (1 for the first). */
  public Duration delayAfter(int restarts) {
    Duration delay = initial;
    for (int i = 1; i < restarts && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
