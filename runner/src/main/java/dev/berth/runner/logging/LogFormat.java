package dev.berth.runner.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent writes its log on standard error: the name of one of logback.xml's appenders, which
 * {@link #choose()} hands to logback (as the system property {@value #PROPERTY}) before logback
 * starts.
 *
 * <p>{@code BERTH_LOG_FORMAT=json} asks for JSON, {@code text} for text; unset, text, with
 * journald's priority prefixes when standard error is the journal's stream ({@code JOURNAL_STREAM},
 * which systemd sets to its device and inode: a process that inherited the variable but writes
 * elsewhere gets plain text).
 */
public enum LogFormat {
  /** A timestamp, the level, the logger, the message and its key-value pairs, on one line. */
  TEXT("logback.xml"),
  /** TEXT without the timestamp (the journal keeps its own), after an sd-daemon {@code <N>}. */
  JOURNAL("logback-journal.xml"),
  /** One JSON object a line: logback's own JsonEncoder. */
  JSON("logback-json.xml");

  private final String configuration;

  LogFormat(String configuration) {
    this.configuration = configuration;
  }

  /** The logback configuration of this format: a resource of the runner. */
  public String configuration() {
    return configuration;
  }

  /** The variable that asks for a format. */
  public static final String VARIABLE = "BERTH_LOG_FORMAT";

  /** The system property that names logback's configuration (logback.xml without it). */
  public static final String PROPERTY = "logback.configurationFile";

  /**
   * Chooses this process's format for logback, unless {@value #PROPERTY} already names a
   * configuration; called before the first logger, since logback reads its configuration once.
   *
   * @throws IllegalArgumentException when {@value #VARIABLE} names no format
   */
  public static void choose() {
    LogFormat format = current();
    if (format != TEXT && System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, format.configuration());
    }
  }

  /** The format {@code environment} asks for, where standard error is {@code stderr}. */
  public static LogFormat of(Map<String, String> environment, Path stderr) {
    Optional<LogFormat> asked = asked(environment.get(VARIABLE));
    if (asked.isPresent()) {
      return asked.get();
    }
    return isJournal(environment.get("JOURNAL_STREAM"), stderr) ? JOURNAL : TEXT;
  }

  /**
   * This process's format.
   *
   * @throws IllegalArgumentException when {@value #VARIABLE} names no format
   */
  public static LogFormat current() {
    return of(System.getenv(), Path.of("/proc/self/fd/2"));
  }

  /**
   * The format a value of {@link #VARIABLE} names: {@code text} or {@code json}, any case; empty
   * when unset or blank.
   *
   * @throws IllegalArgumentException naming the variable and the values it takes
   */
  public static Optional<LogFormat> asked(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "text":
        return Optional.of(TEXT);
      case "json":
        return Optional.of(JSON);
      default:
        throw new IllegalArgumentException(
            VARIABLE + ": must be text or json, was \"" + value + "\"");
    }
  }

  /** Whether {@code stderr} is the stream {@code journalStream} ("DEVICE:INODE") names. */
  static boolean isJournal(String journalStream, Path stderr) {
    if (journalStream == null) {
      return false;
    }
    String[] parts = journalStream.trim().split(":");
    if (parts.length != 2) {
      return false;
    }
    try {
      long device = Long.parseLong(parts[0]);
      long inode = Long.parseLong(parts[1]);
      return ((Number) Files.getAttribute(stderr, "unix:dev")).longValue() == device
          && ((Number) Files.getAttribute(stderr, "unix:ino")).longValue() == inode;
    } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
      // Not what systemd writes, or a platform without unix attributes: not the journal.
      return false;
    }
  }
}
