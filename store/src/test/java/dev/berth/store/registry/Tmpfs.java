package dev.berth.store.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs of the test's own, for storage faults that cannot be faked: a disk that is full, a
 * file system remounted read-only. Needs root with the right to mount (as on CI's machines); where
 * that is missing, {@link #require()} skips the test saying why, or with {@code CI=true} fails it,
 * because a skip there would hide a broken setup.
 */
final class Tmpfs implements AutoCloseable {

  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Skips (or under CI fails) the calling test unless a tmpfs can be mounted here. */
  static void require() {
    String why = canMount();
    if (why == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail("tmpfs tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("tmpfs tests skipped: " + why);
  }

  /** Why a tmpfs cannot be mounted here, or null if it can. */
  private static String canMount() {
    try {
      Path probe = Files.createTempDirectory("berth-tmpfs-probe");
      try {
        String failed = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.toString());
        if (failed != null) {
          return "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): " + failed;
        }
        run("umount", probe.toString());
        return null;
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException e) {
      return "cannot mount a tmpfs here: " + e;
    }
  }

  /** Mounts a tmpfs of {@code size} (as mount(8) reads it: "1m") on the directory {@code at}. */
  static Tmpfs mount(Path at, String size) throws IOException {
    Files.createDirectories(at);
    String failed = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
    if (failed != null) {
      throw new IOException("mount failed: " + failed);
    }
    return new Tmpfs(at);
  }

  void remountReadOnly() throws IOException {
    String failed = run("mount", "-o", "remount,ro", mountPoint.toString());
    if (failed != null) {
      throw new IOException("remount failed: " + failed);
    }
  }

  /** Fills what is left of it with one file. */
  void fill() throws IOException {
    Path filler = mountPoint.resolve("filler");
    byte[] block = new byte[4096];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  @Override
  public void close() throws IOException {
    // Lazy: a registry the test failed to close must not keep the mount.
    String failed = run("umount", "-l", mountPoint.toString());
    if (failed != null) {
      throw new IOException("umount failed: " + failed);
    }
  }

  /** Runs a command; returns its output if it failed, else null. */
  private static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return String.join(" ", command) + ": timed out";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output.strip();
  }
}
