package dev.berth.core.time;

import java.time.Duration;

/**
 * The engine's only view of time: a monotonic reading and a way to run something later.
 *
 * <p>Every delay in controller-core (delayed adds, backoff, resync, stage timeouts) goes through a
 * clock, so that tests swap in a {@link ManualClock} and advance it instead of sleeping. Nothing in
 * controller-core calls {@code Thread.sleep} or {@code System.nanoTime} directly.
 */
public interface Clock {

  /** Monotonic nanoseconds with an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} once, no earlier than {@code delay} from now. Tasks must be short: they run
   * on a timer thread shared by everything scheduled on this clock.
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** The real clock, backed by {@link System#nanoTime()} and one shared daemon timer thread. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
