package dev.berth.runner.cli;

import dev.berth.spec.model.DurationSyntax;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people write them on a command line ({@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 2h}, {@code 1d}: {@link DurationSyntax}, as in the configuration file) and as the CLI prints them
 * ({@code 45s}, {@code 3m12s}, {@code 2h5m}, {@code 4d3h}).
 */
public final class Durations {

  private Durations() {}

  /**
   * The duration {@code text} spells, or an IllegalArgumentException that says how to spell one.
   */
  public static Duration parse(String text) {
    Duration duration = DurationSyntax.parse(text.trim());
    if (duration == null) {
      throw new IllegalArgumentException(
          "must be a number and a unit (ms, s, m, h, d), such as 30s or 5m, was \"" + text + "\"");
    }
    if (duration.isZero()) {
      throw new IllegalArgumentException("must be more than 0, was \"" + text + "\"");
    }
    return duration;
  }

  /**
   * A span in its two largest units, as {@code status} shows uptimes: {@code 45s}, {@code 3m12s},
   * {@code 2h5m}, {@code 4d3h}. A zero second unit is left out ({@code 3m}); negative spans (clock
   * skew) print as {@code 0s}.
   */
  public static String human(long seconds) {
    if (seconds < 60) {
      return Math.max(0, seconds) + "s";
    }
    if (seconds < 3600) {
      return pair(seconds / 60, "m", seconds % 60, "s");
    }
    if (seconds < 86400) {
      return pair(seconds / 3600, "h", seconds % 3600 / 60, "m");
    }
    return pair(seconds / 86400, "d", seconds % 86400 / 3600, "h");
  }

  /**
   * A duration as it would be written on the command line, for messages: {@code 30s}, {@code 5m}.
   */
  public static String written(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    return human(duration.toSeconds());
  }

  /** Seconds with one decimal, for how long something took: {@code 2.4 s}. */
  public static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String pair(long big, String bigUnit, long small, String smallUnit) {
    return big + bigUnit + (small == 0 ? "" : small + smallUnit);
  }

  /** picocli's hook for options of type Duration. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
