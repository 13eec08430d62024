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

  /**
   * The main code of every module but bench (whose benchmarks start agents and tools of their own).
   */
  private static final List<Path> SOURCES = mainSources();

  /**
   * The launches that may keep the agent's environment: this class's, and the agent's
   * systemd-notify, the one child that needs NOTIFY_SOCKET.
   */
  private static final List<String> ALLOWED = List.of("ChildProcesses.java", "SystemdNotify.java");

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
   * Berth's main code goes through {@link ChildProcesses}.
   */
  @Test
  void everyProcessBerthStartsIsMadeByChildProcesses() {
    List<Path> bare;
    try (Stream<Path> files = SOURCES.stream().flatMap(ChildProcessesTest::javaFiles)) {
      bare =
          files
              .filter(file -> !ALLOWED.contains(file.getFileName().toString()))
              .filter(
                  file -> {
                    String code = read(file);
                    return code.contains("new ProcessBuilder(") || code.contains(".exec(");
                  })
              .toList();
    }

    assertThat(SOURCES)
        .contains(
            Path.of("..", "runtimes", "src", "main", "java"),
            Path.of("..", "reconcilers", "src", "main", "java"),
            Path.of("..", "runner", "src", "main", "java"));
    assertThat(bare).isEmpty();
  }

  private static List<Path> mainSources() {
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      return modules
          .filter(module -> !module.getFileName().toString().equals("bench"))
          .map(module -> module.resolve(Path.of("src", "main", "java")))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
