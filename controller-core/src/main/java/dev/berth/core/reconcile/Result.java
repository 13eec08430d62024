package dev.berth.core.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful reconcile asks for next: nothing, or another look after a delay.
 *
 * @param requeueAfter the delay before the key is reconciled again, or null for none
 */
public record Result(Duration requeueAfter) {

  private static final Result DONE = new Result(null);

  public Result {
    if (requeueAfter != null && requeueAfter.isNegative()) {
      throw new IllegalArgumentException("requeueAfter must not be negative, was " + requeueAfter);
    }
  }

  /** The key is converged: nothing more to do until something changes or the next resync. */
  public static Result done() {
    return DONE;
  }

  /** Reconcile the key again after {@code delay}; not a failure, so backoff does not grow. */
  public static Result requeueAfter(Duration delay) {
    return new Result(Objects.requireNonNull(delay, "delay"));
  }

  /** The requested delay, if any. */
  public Optional<Duration> requeueDelay() {
    return Optional.ofNullable(requeueAfter);
  }
}
