package dev.berth.runtime.podman;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How one podman command ended.
 *
 * @param command the podman arguments (without the binary), for messages
 * @param exitCode podman's exit code: 0 for success, 125 for podman's own errors, 126 and 127 when
 *     the container's command could not be started
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  CommandResult {
    command = List.copyOf(command);
  }

  boolean succeeded() {
    return exitCode == 0;
  }

  /** The last line of standard output, where podman prints the id of what it created. */
  String lastLine() {
    List<String> lines = stdout.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /**
   * podman's own account of the failure, for {@link dev.berth.runtime.RuntimeFailure}: its {@code
   * Error:} lines when there are any (a pull prints retry warnings before the one line that
   * matters), else all of standard error.
   */
  String message() {
    String errors =
        stderr
            .lines()
            .filter(line -> line.startsWith("Error: "))
            .collect(Collectors.joining("\n"))
            .strip();
    if (!errors.isEmpty()) {
      return errors;
    }
    String all = stderr.strip();
    return all.isEmpty() ? "exit code " + exitCode : all;
  }
}
