package dev.berth.store.toml;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Berth's files and command line write them: a whole number and one unit, {@code
 * 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 30d}. One unit only, because {@code 1h30m}
 * invites {@code 1m30} and other near misses; {@code 90m} says the same. The one parser of
 * durations: the agent's configuration ({@link Table#duration}) and the CLI's options read with it.
 */
public final class DurationSyntax {

  /** Shown in messages, so that the fix is in the message. */
  public static final String EXAMPLES = "\"500ms\", \"30s\", \"10m\", \"2h\" or \"30d\"";

  // Nine digits keep every value far from Duration's limits: 999999999d is 2.7 million years.
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private DurationSyntax() {}

  /** The duration, or null when the text is not one. */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
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
