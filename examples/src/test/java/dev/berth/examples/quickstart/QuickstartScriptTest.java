package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * README command (1) as a new user runs it: examples/quickstart/run.sh with the real agent jar, as
 * whatever user runs the build (root on the CI machines, where a root agent is strictest about its
 * files), then {@code run.sh --stop}.
 */
class QuickstartScriptTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path DATA = REPO.resolve("examples/quickstart/berth-data");

  private boolean dataExisted;

  @BeforeEach
  void noQuickstartRunsHere() {
    assertThat(DATA.resolve("agent.pid"))
        .as(
            "a quickstart agent runs in this checkout; stop it with examples/quickstart/run.sh --stop")
        .doesNotExist();
    dataExisted = Files.exists(DATA);
  }

  @AfterEach
  void stopAndRemoveWhatTheScriptMade() throws Exception {
    Run stop = run("examples/quickstart/run.sh", "--stop");
    assertThat(stop.exitCode()).as(stop.output()).isZero();
    if (!dataExisted) {
      deleteTree(DATA);
    }
  }

  @Test
  void runShStartsTheAgentAndShowsTheServicesRunningAndAnswering() throws Exception {
    Run start = run("examples/quickstart/run.sh");

    assertThat(start.exitCode()).as(start.output()).isZero();
    assertThat(start.output())
        .containsPattern("hello +web +process +running")
        .containsPattern("greeter +worker +process +running")
        .contains("hello from a Berth quickstart service");
  }

  record Run(int exitCode, String output) {}

  private static Run run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
    // Read while it runs: the script prints more than a pipe holds.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 3 minutes: " + String.join(" ", command));
    }
    return new Run(process.exitValue(), output);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
