package dev.berth.bench.podman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs commands and bash scripts on the host, with {@code CONTAINERS_CONF} set as the runtime under
 * measurement has it: the benchmark's baseline and its setup and cleanup.
 */
final class HostShell {

  private final Path containersConf;
  private final Path directory;
  private int scripts;

  HostShell(Path containersConf, Path directory) {
    this.containersConf = containersConf;
    this.directory = directory;
  }

  /** Runs a command to its end; its standard output, or an exception saying what went wrong. */
  String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CONTAINERS_CONF", containersConf.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exitCode = process.waitFor();
    if (exitCode != 0) {
      throw new IOException(String.join(" ", command) + " exited " + exitCode + ": " + output);
    }
    return output;
  }

  /**
   * Writes {@code body} as a bash script under the benchmark's directory (kept until the end, to be
   * read) and runs it; the wall-clock time of the whole script in nanoseconds.
   */
  long timeScript(String name, String body) throws IOException, InterruptedException {
    Path script = directory.resolve(String.format("%02d-%s.sh", ++scripts, name));
    Files.writeString(
        script,
        "#!/bin/bash\nset -euo pipefail\nexport CONTAINERS_CONF='" + containersConf + "'\n" + body);
    long start = System.nanoTime();
    run(List.of("bash", script.toString()));
    return System.nanoTime() - start;
  }
}
