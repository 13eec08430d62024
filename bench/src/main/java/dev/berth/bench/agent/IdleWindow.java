package dev.berth.bench.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An idle agent over a window: its resident memory sampled every second, and the CPU time it used
 * as a share of one core.
 *
 * @param maxRssKb the largest VmRSS sampled in the window
 * @param lastRssKb the last VmRSS sampled
 * @param hwmKb VmHWM at the end: the largest RSS since the JVM started, apply and start included
 * @param rssAnonKb RssAnon at the end: heap, metaspace, code cache, stacks (RSS less mapped files)
 * @param rssFileKb RssFile at the end: mapped files (libjvm, the CDS archive, the jar)
 * @param cpuPercent utime + stime in the window, as a percentage of one core
 * @param threads the threads at the end, by name (digits folded)
 * @param cpuByThread the CPU time in ms each thread name (digits folded) used in the window, most
 *     first
 */
record IdleWindow(
    long maxRssKb,
    long lastRssKb,
    long hwmKb,
    long rssAnonKb,
    long rssFileKb,
    double cpuPercent,
    Map<String, Integer> threads,
    Map<String, Long> cpuByThread) {

  private static final Duration SAMPLE = Duration.ofSeconds(1);
  private static final Duration PROGRESS = Duration.ofSeconds(10);

  /** Samples {@code pid} for {@code window}, printing progress every 10 s. */
  static IdleWindow measure(long pid, Duration window, long ticksPerSecond)
      throws IOException, InterruptedException {
    long began = System.nanoTime();
    long ticksAtStart = ProcFs.cpuTicks(pid);
    Map<Long, ProcFs.ThreadTime> threadsAtStart = ProcFs.threadTimes(pid, ticksPerSecond);
    long lastProgress = began;
    long ticksAtProgress = ticksAtStart;
    long maxRss = 0;
    ProcFs.Memory last = ProcFs.memory(pid);
    for (long sample = 1; ; sample++) {
      long next = began + SAMPLE.toNanos() * sample;
      long end = began + window.toNanos();
      long wake = Math.min(next, end);
      long sleep = wake - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      last = ProcFs.memory(pid);
      maxRss = Math.max(maxRss, last.rssKb());
      long now = System.nanoTime();
      if (now - lastProgress >= PROGRESS.toNanos() || wake == end) {
        long ticks = ProcFs.cpuTicks(pid);
        System.out.printf(
            Locale.ROOT,
            "    %3d s: RSS %s (HWM %s), CPU %.2f%% of a core in the last %d s%n",
            Duration.ofNanos(now - began).toSeconds(),
            mb(last.rssKb()),
            mb(last.hwmKb()),
            percent(ticks - ticksAtProgress, ticksPerSecond, now - lastProgress),
            Duration.ofNanos(now - lastProgress).toSeconds());
        lastProgress = now;
        ticksAtProgress = ticks;
      }
      if (wake == end) {
        break;
      }
    }
    long ticks = ProcFs.cpuTicks(pid);
    double cpu = percent(ticks - ticksAtStart, ticksPerSecond, System.nanoTime() - began);
    return new IdleWindow(
        maxRss,
        last.rssKb(),
        last.hwmKb(),
        last.rssAnonKb(),
        last.rssFileKb(),
        cpu,
        ProcFs.threadNames(pid),
        cpuByThread(threadsAtStart, ProcFs.threadTimes(pid, ticksPerSecond)));
  }

  /**
   * Milliseconds on CPU per thread name in the window; threads started in the window count from
   * zero, threads that ended in it are missing.
   */
  private static Map<String, Long> cpuByThread(
      Map<Long, ProcFs.ThreadTime> start, Map<Long, ProcFs.ThreadTime> end) {
    Map<String, Long> nanosByName = new HashMap<>();
    end.forEach(
        (tid, time) -> {
          ProcFs.ThreadTime before = start.get(tid);
          long used = time.cpuNanos() - (before == null ? 0 : before.cpuNanos());
          nanosByName.merge(time.name().replaceAll("[0-9]+", "N"), used, Long::sum);
        });
    Map<String, Long> byName = new HashMap<>();
    nanosByName.forEach(
        (name, nanos) -> {
          if (nanos >= 1_000_000) {
            byName.put(name, nanos / 1_000_000);
          }
        });
    Map<String, Long> sorted = new LinkedHashMap<>();
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** {@code process reaper 310 ms, VM Periodic Tas 52 ms, ...}: where the CPU went. */
  String describeCpuByThread() {
    return cpuByThread.isEmpty()
        ? "none"
        : cpuByThread.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue() + " ms")
            .collect(Collectors.joining(", "));
  }

  int threadCount() {
    return threads.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@code GC Thread#N x2, C1 CompilerThre x1, ...}, most numerous first. */
  String describeThreads() {
    return threads.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .map(e -> e.getValue() > 1 ? e.getKey() + " x" + e.getValue() : e.getKey())
        .collect(Collectors.joining(", "));
  }

  static String mb(long kb) {
    return String.format(Locale.ROOT, "%.1f MiB", kb / 1024.0);
  }

  private static double percent(long ticks, long ticksPerSecond, long nanos) {
    return 100.0 * ticks / ticksPerSecond / (nanos / 1e9);
  }
}
