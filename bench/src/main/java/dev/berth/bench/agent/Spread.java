package dev.berth.bench.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The min, median and max of a few measurements, in milliseconds. */
record Spread(long min, long median, long max) {

  static Spread of(List<Long> millis) {
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return new Spread(sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d / %d / %d", min, median, max);
  }
}
