package dev.berth.spec.model;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Berth's files and command line write them, Go-style: whole numbers with units,
 * {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 30d}, or several of them from the
 * largest unit down, {@code 1h30m}, {@code 2m30s}. Each unit at most once and in that order, so
 * that a near miss ({@code 30s1m}, {@code 1m1m}) is refused rather than read as something else, and
 * every part has its unit ({@code 1m30} is refused). The one parser of durations: service files,
 * the agent's configuration, the CLI's options and a BerthService's fields read with it.
 */
public final class DurationSyntax {

  /** Shown in messages, so that the fix is in the message. */
  public static final String EXAMPLES = "\"500ms\", \"30s\", \"10m\", \"1h30m\" or \"30d\"";

  /** The units from the largest down, as a duration is written. */
  private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");

  // Nine digits keep every value far from Duration's limits: 999999999d is 2.7 million years.
  private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private DurationSyntax() {}

  /** The duration, or null when the text is not one. */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int position = 0;
    int lastUnit = -1;
    while (position < text.length()) {
      if (!m.find(position) || m.start() != position) {
        return null;
      }
      int unit = UNITS.indexOf(m.group(2));
      if (unit <= lastUnit) {
        return null;
      }
      long amount = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
      lastUnit = unit;
      position = m.end();
    }
    return lastUnit < 0 ? null : total;
  }

  /** The shortest text {@link #parse} reads back as {@code duration}: {@code 10m}, not 600s. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis != 0 && millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }
}
