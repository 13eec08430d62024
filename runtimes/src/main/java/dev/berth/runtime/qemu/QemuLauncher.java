package dev.berth.runtime.qemu;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.local.ChildProcesses;
import dev.berth.runtime.local.ProcessIdentity;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts QEMU daemonized and finds the process it left running.
 *
 * <p>With {@code -daemonize}, the QEMU we start forks the real one into its own session and exits
 * once that one has set everything up (devices, sockets, port forwards, the kernel in memory): its
 * exit status says whether the VM exists, and what it printed says why not. The VM's process is
 * then no child of the agent, so it survives the agent, and is named only by the pid file.
 */
final class QemuLauncher {

  /** How long QEMU may take to set up a VM: loading the kernel is quick; never a boot. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What QEMU says when a host port of a forward cannot be bound: {@code Could not set up host
   * forwarding rule 'tcp:127.0.0.1:8080-:80'}.
   */
  private static final String PORT_TAKEN_MESSAGE = "Could not set up host forwarding rule";

  /**
   * The start time recorded for a QEMU already gone (and reaped) when we looked: no live process
   * started then, so its pid is never mistaken for ours.
   */
  private static final Instant GONE_AT_START = Instant.EPOCH;

  /**
   * Runs {@code argv} (from {@link QemuCommand}) and returns the identity of the VM's process.
   *
   * @throws RuntimeFailure UNAVAILABLE if the QEMU binary is not there, PORT_TAKEN if a forwarded
   *     host port is in use, FAILED (with QEMU's message) for anything else that kept it from
   *     starting
   */
  ProcessIdentity launch(List<String> argv, VmDirectory dir) {
    requireBinary(argv.get(0));
    try {
      // A file left by an earlier run must not be mistaken for this run's.
      Files.deleteIfExists(dir.pidFile());
      Files.deleteIfExists(dir.qmpSocket());
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "qemu: cannot prepare " + dir.path(), e);
    }
    ProcessBuilder builder =
        ChildProcesses.builder(argv)
            .directory(dir.path().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(dir.qemuLog().toFile())
            .redirectErrorStream(true);
    Process setup;
    try {
      setup = builder.start();
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "qemu: cannot run " + argv.get(0), e);
    }
    int status = awaitSetup(setup, dir);
    if (status != 0) {
      String said = readQuietly(dir.qemuLog());
      Reason reason = said.contains(PORT_TAKEN_MESSAGE) ? Reason.PORT_TAKEN : Reason.FAILED;
      throw new RuntimeFailure(
          reason, "qemu: could not start the VM (status " + status + ")", said);
    }
    long pid = readPid(dir);
    return ProcessHandle.of(pid)
        .flatMap(ProcessIdentity::of)
        .orElseGet(() -> new ProcessIdentity(pid, GONE_AT_START));
  }

  private static int awaitSetup(Process setup, VmDirectory dir) {
    try {
      if (setup.waitFor(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        return setup.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Stuck or interrupted: leave nothing half set up behind.
    setup.destroyForcibly();
    pidIn(dir).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    throw new RuntimeFailure(
        Reason.FAILED,
        "qemu: the VM was not set up within " + SETUP_TIMEOUT.toSeconds() + " s",
        readQuietly(dir.qemuLog()));
  }

  private static long readPid(VmDirectory dir) {
    return pidIn(dir)
        .orElseThrow(
            () ->
                new RuntimeFailure(
                    Reason.FAILED,
                    "qemu: started, but wrote no pid to " + dir.pidFile(),
                    readQuietly(dir.qemuLog())));
  }

  /** The pid QEMU wrote to the directory's pid file, if it did. */
  static Optional<Long> pidIn(VmDirectory dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.pidFile()).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Fails early, and as UNAVAILABLE, when there is no QEMU: the runtime is not there, whatever the
   * spec.
   */
  private static void requireBinary(String binary) {
    if (locate(binary).isEmpty()) {
      throw new RuntimeFailure(
          Reason.UNAVAILABLE, "qemu: no executable " + binary + " on this node", (String) null);
    }
  }

  /** The binary as the OS finds it: a path as it is, a bare name in PATH. */
  static Optional<Path> locate(String binary) {
    if (binary.contains("/")) {
      Path path = Path.of(binary);
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    String searchPath = System.getenv("PATH");
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
