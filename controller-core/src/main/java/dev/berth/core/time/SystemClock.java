package dev.berth.core.time;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time. The timer thread is a daemon so that an embedder who forgets to stop cannot hang exit.
 */
final class SystemClock implements Clock {

  static final SystemClock INSTANCE = new SystemClock();

  private static final System.Logger LOG = System.getLogger(SystemClock.class.getName());

  private final ScheduledThreadPoolExecutor timer;

  private SystemClock() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "berth-clock-timer");
              thread.setDaemon(true);
              return thread;
            });
    // Cancelled timers (a superseded wake-up, a stopped resync) must not pile up until their time.
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var future =
        timer.schedule(() -> runGuarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  // An exception must not be swallowed silently by the executor, nor stop the timer thread.
  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "a scheduled task failed", e);
    }
  }
}
