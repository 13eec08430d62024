package dev.berth.runtime.podman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * podman as the tests drive it themselves, beside the runtime under test: to set up images, to do
 * things behind the runtime's back (a {@code podman kill}), and to clean up.
 */
public final class HostPodman {

  /** What one command did. */
  record Outcome(int exitCode, String stdout, String stderr) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private final Path containersConf;

  HostPodman(Path containersConf) {
    this.containersConf = containersConf;
  }

  /** Runs {@code podman ARGS}; an outcome whatever the exit code. */
  Outcome tryRun(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CONTAINERS_CONF", containersConf.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String stdout = read(process.getInputStream());
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("podman " + String.join(" ", args) + " hung");
      }
      return new Outcome(process.exitValue(), stdout, stderr.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Runs {@code podman ARGS} and returns its standard output; fails the test if podman fails. */
  public String run(String... args) throws IOException {
    Outcome outcome = tryRun(args);
    if (!outcome.succeeded()) {
      throw new AssertionError(
          "podman "
              + String.join(" ", args)
              + " exited "
              + outcome.exitCode()
              + ": "
              + outcome.stderr());
    }
    return outcome.stdout();
  }

  /** Removes, forcefully, every container that carries the label {@code key=value}. */
  public void removeContainersLabelled(String key, String value) throws IOException {
    List<String> ids =
        run("ps", "--all", "--quiet", "--filter", "label=" + key + "=" + value)
            .lines()
            .filter(line -> !line.isBlank())
            .toList();
    if (!ids.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "--force", "--time=0"));
      rm.addAll(ids);
      run(rm.toArray(String[]::new));
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
