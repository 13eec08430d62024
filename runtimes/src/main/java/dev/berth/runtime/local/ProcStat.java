package dev.berth.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few fields of Linux's {@code /proc/PID/stat} that the local runtimes need.
 *
 * @param state the process's state letter ({@code R}, {@code S}, {@code Z} for a zombie...)
 * @param parent its parent's pid
 * @param startTicks when it started, in clock ticks since boot: with the pid, what tells it apart
 *     from a later process that reuses the pid. A shell can read it too, which is how a launch
 *     wrapper names the process it started before any agent has recorded it.
 */
public record ProcStat(char state, long parent, long startTicks) {

  /** The fields after the command name, counted from 3 as proc(5) does: state is field 3. */
  private static final int STATE = 3;

  private static final int PARENT = 4;
  private static final int START_TIME = 22;

  /** The process's fields; empty if it is gone, or this is not Linux. */
  public static Optional<ProcStat> of(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so after the last
   * ')'.
   */
  static Optional<ProcStat> parse(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0 || end + 2 >= stat.length()) {
      return Optional.empty();
    }
    String[] fields = stat.substring(end + 2).trim().split(" ");
    if (fields.length <= START_TIME - STATE) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProcStat(
              fields[0].charAt(0),
              Long.parseLong(fields[PARENT - STATE]),
              Long.parseLong(fields[START_TIME - STATE])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process has exited and waits for its parent to reap it. */
  public boolean zombie() {
    return state == 'Z';
  }
}
