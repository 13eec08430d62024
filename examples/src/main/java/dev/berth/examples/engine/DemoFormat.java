package dev.berth.examples.engine;

import java.time.Duration;
import java.util.Locale;

/** How the demo writes numbers and durations for people. */
final class DemoFormat {

  private DemoFormat() {}

  /** 0.42 ms, 12.3 ms, 2.41 s: three significant digits or so, in the unit that reads best. */
  static String duration(Duration duration) {
    double millis = duration.toNanos() / 1e6;
    if (millis < 10) {
      return String.format(Locale.ROOT, "%.2f ms", millis);
    }
    if (millis < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", millis);
    }
    return String.format(Locale.ROOT, "%.2f s", millis / 1000);
  }

  /** A point in the run, as in the stamps: 3.21 s. */
  static String at(Duration sinceStart) {
    return String.format(Locale.ROOT, "%.2f s", sinceStart.toNanos() / 1e9);
  }

  /** 14,372. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
