package dev.berth.bench.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What Linux's /proc says about one process: its memory, CPU time and threads. */
final class ProcFs {

  private static final Path PROC = Path.of("/proc");

  private ProcFs() {}

  /** Resident memory from /proc/PID/status, in kB as the kernel reports it. */
  record Memory(long rssKb, long hwmKb, long rssAnonKb, long rssFileKb, int threads) {}

  static Memory memory(long pid) throws IOException {
    long rss = 0;
    long hwm = 0;
    long anon = 0;
    long file = 0;
    int threads = 0;
    for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("VmHWM:")) {
        hwm = kilobytes(line);
      } else if (line.startsWith("RssAnon:")) {
        anon = kilobytes(line);
      } else if (line.startsWith("RssFile:")) {
        file = kilobytes(line);
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    return new Memory(rss, hwm, anon, file, threads);
  }

  /** utime + stime from /proc/PID/stat, in clock ticks, of every thread of the process. */
  static long cpuTicks(long pid) throws IOException {
    return ticks(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
  }

  /** One thread's name and the CPU time it used, in nanoseconds. */
  record ThreadTime(String name, long cpuNanos) {}

  /**
   * The CPU time of each live thread of the process, by thread id: the scheduler's exact figure
   * from /proc/PID/task/TID/schedstat where the kernel has it. Ticks would hide a hundred threads
   * that each run a few microseconds a second: the kernel rounds each thread's share down, while
   * the process's total in /proc/PID/stat counts them all.
   */
  static Map<Long, ThreadTime> threadTimes(long pid, long ticksPerSecond) throws IOException {
    Map<Long, ThreadTime> times = new TreeMap<>();
    Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(tasks)) {
      for (Path task : stream) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).strip();
          long nanos;
          Path schedstat = task.resolve("schedstat");
          if (Files.exists(schedstat)) {
            String first = Files.readString(schedstat).strip().split(" ")[0];
            nanos = Long.parseLong(first);
          } else {
            nanos = ticks(stat) * 1_000_000_000L / ticksPerSecond;
          }
          times.put(Long.parseLong(task.getFileName().toString()), new ThreadTime(name, nanos));
        } catch (NoSuchFileException e) {
          // the thread ended while we listed
        }
      }
    }
    return times;
  }

  private static long ticks(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * The process's threads by name, digits folded to {@code N} ({@code GC Thread#0} and {@code GC
   * Thread#1} count as two {@code GC Thread#N}). Linux keeps 15 characters of a thread's name.
   */
  static Map<String, Integer> threadNames(long pid) throws IOException {
    Map<String, Integer> names = new TreeMap<>();
    Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(tasks)) {
      for (Path task : stream) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "N");
          names.merge(name, 1, Integer::sum);
        } catch (NoSuchFileException e) {
          // the thread ended while we listed
        }
      }
    }
    return names;
  }

  /** The ticks per second utime and stime count in ({@code getconf CLK_TCK}); 100 on Linux. */
  static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (getconf.waitFor() == 0) {
        return Long.parseLong(out.strip());
      }
    } catch (IOException | NumberFormatException e) {
      // fall back to the value every Linux architecture uses
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  private static long kilobytes(String line) {
    // "VmRSS:	   12345 kB"
    String value = line.substring(line.indexOf(':') + 1).strip();
    return Long.parseLong(value.substring(0, value.indexOf(' ')));
  }
}
