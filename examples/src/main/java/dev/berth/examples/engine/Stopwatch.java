package dev.berth.examples.engine;

import java.time.Duration;
import java.util.Locale;

/** Time since the demo started, and the {@code [ 1.25s]} stamp that begins each line it prints. */
final class Stopwatch {

  private final long startNanos = System.nanoTime();

  Duration elapsed() {
    return since(System.nanoTime());
  }

  /** How long after the start {@code nanoTime} (a {@link System#nanoTime()} reading) was. */
  Duration since(long nanoTime) {
    return Duration.ofNanos(nanoTime - startNanos);
  }

  String stamp() {
    return String.format(Locale.ROOT, "[%6.2fs]", elapsed().toNanos() / 1e9);
  }
}
