package dev.berth.core.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reconcile that did not throw asks for next: nothing, another look after a delay, or, while
 * an earlier failure is being backed off, another look without the failure counting as overcome.
 *
 * @param requeueAfter the delay before the key is reconciled again, or null for none
 * @param backingOff true if the key is still failing: the reconciler skipped what failed because
 *     its backoff has not passed yet, so the key's failure count is kept (its next failure waits
 *     longer)
 */
public record Result(Duration requeueAfter, boolean backingOff) {

  private static final Result DONE = new Result(null, false);

  /** Checks that the delay is not negative, and that a key backing off has one. */
  public Result {
    if (requeueAfter != null && requeueAfter.isNegative()) {
      throw new IllegalArgumentException("requeueAfter must not be negative, was " + requeueAfter);
    }
    if (backingOff && requeueAfter == null) {
      throw new IllegalArgumentException("a key backing off needs the delay of its next try");
    }
  }

  /** The key is converged: nothing more to do until something changes or the next resync. */
  public static Result done() {
    return DONE;
  }

  /** Reconcile the key again after {@code delay}; not a failure, so backoff does not grow. */
  public static Result requeueAfter(Duration delay) {
    return new Result(Objects.requireNonNull(delay, "delay"), false);
  }

  /**
   * The key was reconciled again before a failure's backoff had passed (something else enqueued
   * it), and the reconciler did not retry what failed: reconcile it after {@code delay}, when the
   * backoff ends. Unlike {@link #requeueAfter} this is no success, so the key's failure count is
   * kept: its next failure still waits longer than the last.
   */
  public static Result backingOff(Duration delay) {
    return new Result(Objects.requireNonNull(delay, "delay"), true);
  }

  /** The requested delay, if any. */
  public Optional<Duration> requeueDelay() {
    return Optional.ofNullable(requeueAfter);
  }
}
