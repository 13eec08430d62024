package dev.berth.core.time;

/**
 * A handle to something scheduled on a {@link Clock}; cancelling twice, or after it ran, is
 * harmless.
 */
@FunctionalInterface
public interface Cancellable {
  /** Cancels the scheduled task if it has not run yet. */
  void cancel();
}
