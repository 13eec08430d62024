package dev.berth.runner.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where a followed stream learns that the user wants it to end (Ctrl-C). The CLI uses shutdown
 * hooks; tests pass a signal they trigger themselves.
 */
public interface StopSignal {

  /**
   * Runs {@code action} when the user asks to stop. Closing the registration withdraws it and tells
   * the signal that the command has finished its output.
   */
  Registration onStop(Runnable action);

  /** An action registered with {@link #onStop}. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Ctrl-C (SIGINT) and SIGTERM, through a JVM shutdown hook. */
  static StopSignal shutdownHooks() {
    return new ShutdownHookSignal();
  }

  /** A shutdown hook that cancels, then lets the command finish what it prints. */
  final class ShutdownHookSignal implements StopSignal {

    /** Long enough to flush a line or two, short enough that Ctrl-C never seems to hang. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(2);

    @Override
    public Registration onStop(Runnable action) {
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                action.run();
                try {
                  // The JVM halts when the hooks return: give the cancelled command its last lines.
                  finished.await(FINISH_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "berth-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      return () -> {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running or has run: nothing to withdraw.
        }
      };
    }
  }
}
