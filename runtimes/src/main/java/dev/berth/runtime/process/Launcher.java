package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.local.ChildProcesses;
import dev.berth.runtime.local.ProcessIdentity;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a workload's process under its {@link SupervisorScript supervisor}, so that it can outlive
 * the agent:
 *
 * <ul>
 *   <li>stdout and stderr go through a pipe to a log writer that is no part of the agent: it
 *       outlives the agent (a pipe read by the agent would die with it, and the program's next
 *       write with SIGPIPE), bounds the log and slows down a program that writes faster than it can
 *       keep;
 *   <li>stdin is {@code /dev/null}, so that the agent's exit is not an end of input;
 *   <li>where util-linux's {@code setsid} is installed, the supervisor and the program run in a
 *       session of their own, so that the Ctrl-C or hang-up that stops an agent running in a
 *       terminal does not reach them.
 * </ul>
 *
 * <p>The program inherits the agent's environment, then the spec's, then its secrets (kept in the
 * workload's directory, mode 0600), then its ports (see {@link PortEnvironment}): the ports win
 * because the routes point at them.
 */
final class Launcher {

  /**
   * How long the supervisor may take to report its program's pid: two shells starting, a few
   * milliseconds; more only on a machine that can barely fork.
   */
  static final Duration PID_WAIT = Duration.ofSeconds(10);

  /** Where {@code setsid} lives on the distributions that have it; absent on macOS. */
  private static final List<Path> SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private static final File NO_INPUT = new File("/dev/null");

  /** Where the log writer's tools are looked for if the agent has no PATH. */
  private static final String DEFAULT_TOOL_PATH = "/usr/bin:/bin";

  /** The {@code setsid} program, or null where there is none. */
  private final Path setsid = SETSID.stream().filter(Files::isExecutable).findFirst().orElse(null);

  /** Where the supervisor finds its tools: the agent's own PATH, whatever the spec's is. */
  private final String toolPath;

  /** The supervisor's tools that are not in {@link #toolPath}; none on a usual Linux. */
  private final List<String> missingTools;

  private final long logMaxBytes;
  private final int logKeep;

  /**
   * @param toolPath where the supervisor's tools ({@link SupervisorScript#TOOLS}) are looked for;
   *     null or blank for {@code /usr/bin:/bin}
   */
  Launcher(long logMaxBytes, int logKeep, String toolPath) {
    this.logMaxBytes = logMaxBytes;
    this.logKeep = logKeep;
    this.toolPath = toolPath == null || toolPath.isBlank() ? DEFAULT_TOOL_PATH : toolPath;
    this.missingTools =
        SupervisorScript.TOOLS.stream()
            .filter(tool -> !Path.of(executable(tool, this.toolPath, Path.of("/"))).isAbsolute())
            .toList();
  }

  /**
   * A run under way.
   *
   * @param supervisor the supervisor, a child of this JVM
   * @param supervisorIdentity the same, as recorded on disk
   * @param program the program it runs; (pid, {@code gone}) if it ended already
   */
  record Launch(Process supervisor, ProcessIdentity supervisorIdentity, ProcessIdentity program) {}

  /**
   * Starts the process of {@code record} in {@code directory}, and returns once its program's pid
   * is known. The directory's last run files are cleared first.
   *
   * @param gone the start time to record for a program that has ended before its start was seen
   * @throws RuntimeFailure EXECUTABLE_NOT_FOUND if the program does not exist or may not be
   *     executed (naming the path looked at), INVALID_SPEC if the working directory does not exist,
   *     UNAVAILABLE if the node lacks a tool of the supervisor's, FAILED for anything else (out of
   *     processes, a supervisor that could not start)
   */
  Launch start(ProcessRecord record, WorkloadDirectory directory, Instant gone) {
    return start(record, directory, gone, List.of());
  }

  /**
   * As {@link #start(ProcessRecord, WorkloadDirectory, Instant)}, the program joining the cgroups
   * of {@code cgroupProcs} before it is exec'd (see {@link SupervisorScript}); a program that
   * cannot join one is never run, and the start fails with FAILED.
   */
  Launch start(
      ProcessRecord record, WorkloadDirectory directory, Instant gone, List<Path> cgroupProcs) {
    if (!missingTools.isEmpty()) {
      throw new RuntimeFailure(
          Reason.UNAVAILABLE,
          "process: no "
              + String.join(", ", missingTools)
              + " in PATH "
              + toolPath
              + ": the supervisor of a process needs GNU coreutils",
          (String) null);
    }
    Path workingDirectory =
        record.workingDirectory() == null
            ? directory.path()
            : Path.of(record.workingDirectory()).toAbsolutePath();
    if (!Files.isDirectory(workingDirectory)) {
      throw new RuntimeFailure(
          Reason.INVALID_SPEC,
          "process: working directory " + workingDirectory + " is not a directory",
          (String) null);
    }
    ProcessBuilder builder = ChildProcesses.builder(List.of()).directory(workingDirectory.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(record.env());
    try {
      // In the environment only: never in program.sh or on the supervisor's command line.
      env.putAll(directory.secrets());
    } catch (UncheckedIOException e) {
      throw new RuntimeFailure(
          Reason.FAILED, "process: cannot read the secrets of " + record.id(), e);
    }
    env.putAll(PortEnvironment.of(record.ports()));
    String program = requireExecutable(record.executable(), env.get("PATH"), workingDirectory);

    try {
      directory.clearRun();
      directory.writeProgram(SupervisorScript.programFile(program, record.args()));
    } catch (UncheckedIOException e) {
      throw new RuntimeFailure(Reason.FAILED, "process: cannot prepare " + directory.path(), e);
    }
    List<String> command = new ArrayList<>();
    if (setsid != null) {
      command.add(setsid.toString());
    }
    command.addAll(
        SupervisorScript.command(directory.path(), logMaxBytes, logKeep, toolPath, cgroupProcs));
    builder
        .command(command)
        .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
        .redirectOutput(ProcessBuilder.Redirect.to(directory.launchLog().toFile()))
        .redirectErrorStream(true);
    Process supervisor;
    try {
      supervisor = builder.start();
    } catch (IOException e) {
      throw new RuntimeFailure(
          Reason.FAILED, "process: cannot start the supervisor of " + record.id(), e);
    }
    ProcessIdentity supervisorIdentity =
        ProcessIdentity.of(supervisor.toHandle())
            .orElseGet(() -> new ProcessIdentity(supervisor.pid(), gone));
    return new Launch(supervisor, supervisorIdentity, awaitProgram(supervisor, directory, gone));
  }

  /** Waits for the supervisor to report its program; ends the supervisor if it never does. */
  private static ProcessIdentity awaitProgram(
      Process supervisor, WorkloadDirectory directory, Instant gone) {
    Optional<ProcessIdentity> program;
    try {
      program = awaitProgram(supervisor.toHandle(), directory, gone, PID_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(supervisor.toHandle());
      throw new RuntimeFailure(
          Reason.FAILED, "process: interrupted while starting " + directory.path(), e);
    }
    if (program.isPresent()) {
      return program.get();
    }
    boolean ended = !supervisor.isAlive();
    ProcessTree.kill(supervisor.toHandle());
    throw new RuntimeFailure(
        Reason.FAILED,
        "process: the supervisor of "
            + directory.path().getFileName()
            + (ended
                ? " ended before it started the program"
                : " did not start the program within " + PID_WAIT.toSeconds() + " s"),
        directory.launchMessages());
  }

  /**
   * Waits up to {@code wait} for {@code supervisor} to write its program's pid.
   *
   * @return the program (running, or (pid, {@code gone}) if it ended already); empty if the
   *     supervisor ended, or ran out of time, without writing it
   */
  static Optional<ProcessIdentity> awaitProgram(
      ProcessHandle supervisor, WorkloadDirectory directory, Instant gone, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      // Alive first: a supervisor seen gone after a look for the pid may have written it meanwhile.
      boolean alive = ProcessIdentity.running(supervisor);
      Optional<ProcessIdentity> program = directory.program(gone);
      if (program.isPresent() || !alive || System.nanoTime() - deadline >= 0) {
        return program;
      }
      // The supervisor writes it a few milliseconds after its spawn: looked for often.
      LockSupport.parkNanos(ProcessTree.FIRST_POLL_NANOS * 2);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /**
   * The program to exec, checked: a path as the spec gives it (relative to the working directory),
   * or a bare name looked up in the PATH the process will get (the JVM would look in its own).
   *
   * @throws RuntimeFailure EXECUTABLE_NOT_FOUND if it is not there or not executable
   */
  static String requireExecutable(String executable, String path, Path workingDirectory) {
    String program = executable(executable, path, workingDirectory);
    Path file = Path.of(program);
    if (!file.isAbsolute()) {
      throw new RuntimeFailure(
          Reason.EXECUTABLE_NOT_FOUND,
          "process: no executable " + executable + " in PATH " + path,
          (String) null);
    }
    if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw new RuntimeFailure(
          Reason.EXECUTABLE_NOT_FOUND,
          "process: "
              + file
              + (Files.exists(file) ? " is not an executable file" : " does not exist"),
          (String) null);
    }
    return program;
  }

  /**
   * The program to exec. A bare name is looked up in the PATH the process will get; one that is not
   * found is left as it is.
   */
  static String executable(String executable, String path, Path workingDirectory) {
    if (executable.contains("/")) {
      return workingDirectory.resolve(executable).toString();
    }
    if (path == null) {
      return executable;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry).resolve(executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    return executable;
  }
}
