package dev.berth.examples.engine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a progress line at a fixed interval, from its own daemon thread, until stopped. */
final class ProgressPrinter {

  private final PrintStream out;
  private final Stopwatch stopwatch;
  private final Supplier<String> line;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "demo-progress");
            thread.setDaemon(true);
            return thread;
          });

  ProgressPrinter(PrintStream out, Stopwatch stopwatch, Supplier<String> line, Duration interval) {
    this.out = out;
    this.stopwatch = stopwatch;
    this.line = line;
    this.interval = interval;
  }

  void start() {
    long nanos = interval.toNanos();
    timer.scheduleAtFixedRate(this::printNow, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  void printNow() {
    out.println(stopwatch.stamp() + " " + line.get());
  }

  /** Stops the timer; a line being printed is finished first. */
  void stop() {
    timer.shutdown();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
