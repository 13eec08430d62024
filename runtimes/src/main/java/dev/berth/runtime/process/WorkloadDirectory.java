package dev.berth.runtime.process;

import dev.berth.runtime.local.LocalWorkloadRuntime;
import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One workload's directory under the state root, named by its id (mode 0700: only the agent's user
 * may read the logs):
 *
 * <pre>
 * ROOT/proc-1a2b3c4d5e6f/
 *   state.json       the {@link ProcessRecord}, replaced atomically; written before anything runs
 *   secrets.json     the values of the spec's secrets, by variable name (mode 0600), if it has any:
 *                    kept apart from state.json, which never holds one, for every run's start
 *   program.sh       how the current run's supervisor execs the program ({@link SupervisorScript})
 *   program.pid      "PID STARTTICKS" of the current run's program, written by its supervisor
 *                    before it execs the program (see {@link SupervisorScript})
 *   exit.status      the current run's exit status, written by its supervisor when it ends
 *   output.log       stdout and stderr, written by the log writer (mode 0640)
 *   output.log.1..N  rotated output, newest first
 *   launch.log       what the supervisor itself said, if anything (why a launch failed)
 * </pre>
 *
 * It is also the process's working directory unless the spec names another one, so removing the
 * workload removes what it left there.
 */
record WorkloadDirectory(Path path) {

  static final String OUTPUT_LOG = "output.log";
  static final String PROGRAM_FILE = "program.sh";
  static final String PROGRAM_PID = "program.pid";
  static final String EXIT_STATUS = "exit.status";
  static final String LAUNCH_LOG = "launch.log";
  static final String SECRETS_FILE = "secrets.json";

  Path stateFile() {
    return path.resolve(LocalWorkloadRuntime.STATE_FILE);
  }

  LogFile output() {
    return new LogFile(path.resolve(OUTPUT_LOG));
  }

  Path launchLog() {
    return path.resolve(LAUNCH_LOG);
  }

  /** The record, if the directory holds a readable one (a half-created directory holds none). */
  Optional<ProcessRecord> read() {
    return StateFile.read(stateFile(), ProcessRecord.class);
  }

  void write(ProcessRecord record) {
    StateFile.write(stateFile(), record);
  }

  /**
   * The current run's program as its wrapper wrote it down: running, or (pid, {@code gone}) if it
   * is gone or the pid now names a later process. Empty while the wrapper has not written it (or
   * has written half of it: a complete line ends with a newline).
   */
  Optional<ProcessIdentity> program(Instant gone) {
    Optional<String> line = readLine(PROGRAM_PID);
    if (line.isEmpty()) {
      return Optional.empty();
    }
    String[] fields = line.get().split(" ");
    try {
      long pid = Long.parseLong(fields[0]);
      Optional<ProcessIdentity> running =
          fields.length > 1 && !fields[1].isEmpty()
              ? ProcessIdentity.ofStartTicks(pid, Long.parseLong(fields[1]))
              // No start time where there is no /proc: the pid alone, as the JDK sees it.
              : ProcessHandle.of(pid).flatMap(ProcessIdentity::of);
      return Optional.of(running.orElseGet(() -> new ProcessIdentity(pid, gone)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The current run's exit status, once its supervisor wrote it. */
  Optional<Integer> exitStatus() {
    try {
      return readLine(EXIT_STATUS).map(Integer::parseInt);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** What the supervisor said, for a launch that failed; empty if nothing. */
  String launchMessages() {
    try {
      return Files.readString(launchLog(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Keeps the values of the spec's secrets for every run's start. {@link StateFile} writes a file
   * created with mode 0600, renamed into this 0700 directory.
   */
  void writeSecrets(Map<String, String> values) {
    StateFile.write(path.resolve(SECRETS_FILE), new Secrets(values));
  }

  /** The values of the spec's secrets, by variable name; empty if it has none. */
  Map<String, String> secrets() {
    Path file = path.resolve(SECRETS_FILE);
    if (!Files.exists(file)) {
      return Map.of();
    }
    return StateFile.read(file, Secrets.class)
        .map(Secrets::values)
        .orElseThrow(() -> new UncheckedIOException(new IOException("cannot read " + file)));
  }

  /** What {@code secrets.json} holds; never printed (its toString would tell the values). */
  record Secrets(Map<String, String> values) {
    @Override
    public String toString() {
      return "Secrets[" + values.keySet() + "]";
    }
  }

  /** Writes how the next run's supervisor is to exec its program ({@link SupervisorScript}). */
  void writeProgram(String content) {
    try {
      Files.writeString(path.resolve(PROGRAM_FILE), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path.resolve(PROGRAM_FILE), e);
    }
  }

  /**
   * Forgets the last run's pid and exit status, so that they are never taken for the next run's.
   */
  void clearRun() {
    try {
      Files.deleteIfExists(path.resolve(PROGRAM_PID));
      Files.deleteIfExists(path.resolve(EXIT_STATUS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + path, e);
    }
  }

  /** A file's first line if the file holds a whole one. */
  private Optional<String> readLine(String file) {
    try {
      String content = Files.readString(path.resolve(file), StandardCharsets.UTF_8);
      int end = content.indexOf('\n');
      return end < 0 ? Optional.empty() : Optional.of(content.substring(0, end).strip());
    } catch (IOException e) {
      return Optional.empty(); // not written yet, or gone
    }
  }
}
