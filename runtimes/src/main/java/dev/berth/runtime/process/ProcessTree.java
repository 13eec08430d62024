package dev.berth.runtime.process;

import dev.berth.runtime.local.ProcessIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Stops a process and its descendants as systemd does by default: SIGTERM to all of them at once,
 * then SIGKILL to whatever is left after the timeout. Signalling only the top process would leave a
 * shell's children running (a shell does not pass SIGTERM on), and orphans would hold the ports.
 */
final class ProcessTree {

  /**
   * How long to wait for SIGKILL to take effect: only a process stuck in the kernel (state D) takes
   * long, and then stop reports failure rather than blocking for good.
   */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /** How soon the processes are first looked at again while waiting for them to go. */
  static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  /** How often, at most, the processes are looked at while waiting for them to go. */
  private static final long POLL_MILLIS = 10;

  private ProcessTree() {}

  /**
   * Stops {@code top} and its descendants: SIGTERM, and SIGKILL after {@code timeout} (at once if
   * it is zero).
   *
   * @return whether they all are gone
   */
  static boolean stop(ProcessHandle top, Duration timeout) throws InterruptedException {
    // Descendants are found through their parents, so they must be listed before the top one dies.
    Map<Long, ProcessHandle> tree = tree(top, new LinkedHashMap<>());
    if (!timeout.isNegative() && !timeout.isZero()) {
      tree.values().forEach(ProcessHandle::destroy);
      if (awaitGone(List.copyOf(tree.values()), timeout)) {
        return true;
      }
    }
    if (ProcessIdentity.running(top)) {
      tree(top, tree); // what it started since
    }
    tree.values().forEach(ProcessHandle::destroyForcibly);
    return awaitGone(List.copyOf(tree.values()), KILL_WAIT);
  }

  /**
   * SIGKILL to {@code top} and its descendants at once; returns once they are gone, or after {@link
   * #KILL_WAIT} if one is stuck in the kernel.
   */
  static void kill(ProcessHandle top) {
    try {
      stop(top, Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<Long, ProcessHandle> tree(ProcessHandle top, Map<Long, ProcessHandle> into) {
    into.put(top.pid(), top);
    descendants(top).forEach(each -> into.putIfAbsent(each.pid(), each));
    return into;
  }

  /**
   * On Linux, from {@code /proc/PID/task/TID/children}: the JDK's {@link
   * ProcessHandle#descendants()} reads the status of every process on the host, 3 ms with 300 of
   * them, and that on every stop. Elsewhere, or on a kernel without that file, the JDK's way.
   */
  private static List<ProcessHandle> descendants(ProcessHandle top) {
    if (!Files.exists(childrenFile(top.pid(), top.pid()))) {
      return top.descendants().toList();
    }
    List<ProcessHandle> found = new ArrayList<>();
    Deque<Long> parents = new ArrayDeque<>(List.of(top.pid()));
    while (!parents.isEmpty()) {
      for (long child : children(parents.pop())) {
        ProcessHandle.of(child)
            .ifPresent(
                handle -> {
                  found.add(handle);
                  parents.push(child);
                });
      }
    }
    return found;
  }

  /** A process's children: each of its threads lists those it forked. */
  private static List<Long> children(long pid) {
    List<Path> tasks;
    try (Stream<Path> listed = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks = listed.toList();
    } catch (IOException | UncheckedIOException gone) {
      return List.of();
    }
    List<Long> children = new ArrayList<>();
    for (Path task : tasks) {
      try {
        for (String child : Files.readString(task.resolve("children")).trim().split(" ")) {
          if (!child.isEmpty()) {
            children.add(Long.parseLong(child));
          }
        }
      } catch (IOException threadGone) {
        // It exited meanwhile; its children were re-parented to another thread or process.
      }
    }
    return children;
  }

  private static Path childrenFile(long pid, long thread) {
    return Path.of("/proc", Long.toString(pid), "task", Long.toString(thread), "children");
  }

  /** Waits up to {@code timeout} for every one of {@code all} to be gone; whether they are. */
  static boolean awaitGone(List<ProcessHandle> all, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    // Polled: none of them is a child of this JVM (a workload's program is its supervisor's).
    // Often at first, as most processes end within a millisecond of their signal.
    long pause = FIRST_POLL_NANOS;
    while (all.stream().anyMatch(ProcessIdentity::running)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(pause);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      pause = Math.min(2 * pause, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
    }
    return true;
  }
}
