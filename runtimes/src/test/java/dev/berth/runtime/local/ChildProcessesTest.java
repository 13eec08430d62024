package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What systemd gives the agent alone (sd_notify, socket activation, the watchdog) reaches none of
 * the processes Berth starts. With the agent under a real NOTIFY_SOCKET: SystemdReadinessTest in
 * the runner.
 */
class ChildProcessesTest {

  /** The modules whose main code starts processes for the agent. */
  private static final List<Path> SOURCES =
      List.of(Path.of("src", "main", "java"), Path.of("..", "reconcilers", "src", "main", "java"));

  @Test
  void theServiceManagersVariablesAreRemovedAndNothingElse() {
    Map<String, String> environment = new HashMap<>();
    environment.put("NOTIFY_SOCKET", "/run/systemd/notify");
    environment.put("LISTEN_FDS", "2");
    environment.put("LISTEN_PID", "4242");
    environment.put("LISTEN_FDNAMES", "api:metrics");
    environment.put("WATCHDOG_USEC", "30000000");
    environment.put("WATCHDOG_PID", "4242");
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("JOURNAL_STREAM", "8:12345");
    environment.put("NOTIFY_SOCKET_OF_MY_APP", "/tmp/app.sock");

    ChildProcesses.clean(environment);

    assertThat(environment)
        .containsOnly(
            Map.entry("PATH", "/usr/bin:/bin"),
            Map.entry("JOURNAL_STREAM", "8:12345"),
            Map.entry("NOTIFY_SOCKET_OF_MY_APP", "/tmp/app.sock"));
  }

  @Test
  void aBuilderStartsFromTheAgentsEnvironmentLessThoseVariables() {
    Map<String, String> expected = new HashMap<>(System.getenv());
    expected.keySet().removeAll(ChildProcesses.NOT_INHERITED);

    ProcessBuilder builder = ChildProcesses.builder(List.of("true"));

    assertThat(builder.environment()).isEqualTo(expected);
    assertThat(builder.command()).containsExactly("true");
  }

  /**
   * A process made with a bare ProcessBuilder would inherit NOTIFY_SOCKET again: every launch in
   * the runtimes and the route proxies goes through {@link ChildProcesses}.
   */
  @Test
  void everyProcessOfTheRuntimesAndProxiesIsMadeByChildProcesses() throws IOException {
    List<Path> bare;
    try (Stream<Path> files = SOURCES.stream().flatMap(ChildProcessesTest::javaFiles)) {
      bare =
          files
              .filter(file -> !file.endsWith("ChildProcesses.java"))
              .filter(file -> read(file).contains("new ProcessBuilder("))
              .toList();
    }

    assertThat(SOURCES).allMatch(Files::isDirectory);
    assertThat(bare).isEmpty();
    assertThat(read(SOURCES.get(1).resolve("dev/berth/reconcilers/route/nginx/NginxProcess.java")))
        .contains("ChildProcesses.builder(");
  }

  private static Stream<Path> javaFiles(Path root) {
    try {
      return Files.walk(root).filter(file -> file.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
