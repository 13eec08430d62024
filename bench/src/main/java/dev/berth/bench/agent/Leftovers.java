package dev.berth.bench.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The service processes of this run, found by an environment variable every service declares: the
 * agent leaves its services running when it stops (by design), so whatever the agent did not remove
 * must be found without it. The variable holds a value unique to this run, so nothing else on the
 * machine matches.
 */
final class Leftovers {

  static final String VARIABLE = "BERTH_FOOTPRINT_RUN";

  private final String value;
  private final byte[] needle;

  Leftovers(String value) {
    this.value = value;
    this.needle = ("\0" + VARIABLE + "=" + value + "\0").getBytes(StandardCharsets.UTF_8);
  }

  /** The value the services carry in {@link #VARIABLE}. */
  String value() {
    return value;
  }

  /** Live processes whose environment holds the marker. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : proc) {
        if (marked(dir)) {
          ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e, e);
    }
    return found;
  }

  /** SIGTERM to every marked process, SIGKILL to those left after a second; how many there were. */
  int kill() {
    List<ProcessHandle> found = processes();
    found.forEach(ProcessHandle::destroy);
    for (ProcessHandle each : found) {
      try {
        each.onExit().get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        each.destroyForcibly();
      }
    }
    return found.size();
  }

  private boolean marked(Path dir) {
    Optional<byte[]> environ = read(dir.resolve("environ"));
    if (environ.isEmpty()) {
      return false;
    }
    // A leading NUL so that the first variable matches too.
    byte[] env = environ.get();
    byte[] padded = new byte[env.length + 2];
    System.arraycopy(env, 0, padded, 1, env.length);
    return indexOf(padded, needle) >= 0;
  }

  private static Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      // gone, or another user's process
      return Optional.empty();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
