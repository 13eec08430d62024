package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a workload's process so that it can outlive the agent:
 *
 * <ul>
 *   <li>stdout and stderr go to one file opened for append, never to a pipe: a pipe's reader dies
 *       with the agent, and the process's next write would kill it with SIGPIPE;
 *   <li>stdin is {@code /dev/null}, so that the agent's exit is not an end of input;
 *   <li>where util-linux's {@code setsid} is installed, the process runs in a session of its own,
 *       so that the Ctrl-C or hang-up that stops an agent running in a terminal does not reach it.
 *       {@code setsid} execs in place (the JVM's children never lead a process group), so the pid
 *       stays the one we record.
 * </ul>
 *
 * <p>The process inherits the agent's environment, then the spec's, then its ports (see {@link
 * PortEnvironment}): the ports win because the routes point at them.
 */
final class Launcher {

  /** Where {@code setsid} lives on the distributions that have it; absent on macOS. */
  private static final List<Path> SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  /** errno values of exec that say the spec is wrong: ENOENT, EACCES, ENOEXEC, ENOTDIR. */
  private static final Set<Integer> SPEC_ERRORS = Set.of(2, 13, 8, 20);

  private static final Pattern ERRNO = Pattern.compile("error=(\\d+)");

  private static final File NO_INPUT = new File("/dev/null");

  /** The {@code setsid} program, or null where there is none. */
  private final Path setsid = SETSID.stream().filter(Files::isExecutable).findFirst().orElse(null);

  /**
   * Starts the process of {@code record} in {@code directory}.
   *
   * @throws RuntimeFailure INVALID_SPEC if the program or the working directory does not exist or
   *     cannot be run (with the OS's message); FAILED for anything else (out of processes, ...)
   */
  Process start(ProcessRecord record, WorkloadDirectory directory) {
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
    ProcessBuilder builder = new ProcessBuilder().directory(workingDirectory.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(record.env());
    env.putAll(PortEnvironment.of(record.ports()));

    String program = executable(record.executable(), env.get("PATH"), workingDirectory);
    List<String> command = new ArrayList<>();
    if (setsid != null && runnable(program)) {
      // Only then: setsid would report a missing program as an exit code, not as the OS's error.
      command.add(setsid.toString());
    }
    command.add(program);
    command.addAll(record.args());
    builder
        .command(command)
        .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.output().path().toFile()))
        .redirectErrorStream(true);
    try {
      return builder.start();
    } catch (IOException e) {
      Reason reason = specError(e.getMessage()) ? Reason.INVALID_SPEC : Reason.FAILED;
      throw new RuntimeFailure(
          reason, "process: cannot start " + record.executable(), e.getMessage());
    }
  }

  /**
   * The program to exec. A bare name is looked up in the PATH the process will get (the JVM would
   * look in its own); one that is not found is left as it is, so that the OS reports it.
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

  private static boolean runnable(String program) {
    Path path = Path.of(program);
    return path.isAbsolute() && Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static boolean specError(String message) {
    if (message == null) {
      return false;
    }
    Matcher errno = ERRNO.matcher(message);
    return errno.find() && SPEC_ERRORS.contains(Integer.parseInt(errno.group(1)));
  }
}
