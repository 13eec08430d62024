package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * How long this JVM's threads have waited, runnable, for a core: the second field of Linux's {@code
 * /proc/self/task/TID/schedstat}, summed over the threads whose name starts with a prefix. A thread
 * that wakes on a busy machine waits here before it runs; this tells that wait apart from time
 * spent in the code.
 */
final class RunQueueWait {

  private static final Path TASKS = Path.of("/proc/self/task");

  private RunQueueWait() {}

  /**
   * Nanoseconds waited so far by the threads named {@code prefix...} (the kernel keeps the first 15
   * characters of a name, so the prefix is cut to that).
   */
  static long nanos(String prefix) {
    String kept = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm")).strip().startsWith(kept)) {
            sum +=
                Long.parseLong(Files.readString(task.resolve("schedstat")).strip().split(" ")[1]);
          }
        } catch (NoSuchFileException ended) {
          // The thread ended while we read: it waits no more.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }
}
