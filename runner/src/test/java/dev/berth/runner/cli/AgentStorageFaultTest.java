package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent whose registry cannot keep what is written to it says so everywhere, and one whose
 * registry file is not the registry does not start: writes are refused with the cause (exit 3, the
 * agent's words), {@code /healthz} fails naming it (so that systemd's {@code Restart=always}
 * restarts the agent), {@code berth node} lists it, and no workload is touched.
 */
class AgentStorageFaultTest {

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;
  int metrics;

  @BeforeEach
  void configure() throws IOException {
    metrics = AdminEndpoint.freePort();
    AgentProcess.writeProcessAgentConfig(directory, metrics);
    ServiceFilesFixture.loopService(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    AgentProcess.killLeftovers(directory);
  }

  @Test
  void aDataDirectoryRemovedWhileRunningRefusesWritesAndFailsHealthz() throws Exception {
    agent = AgentProcess.start(directory);
    assertThat(
            cli.run("apply", "-f", directory.resolve("services").toString(), "--wait").exitCode())
        .isZero();
    assertThat(AdminEndpoint.healthz(metrics)).isEqualTo("200 ok");

    deleteTree(directory.resolve("data"));

    Cli.Run refused = cli.run("stop", "loop");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(refused.err())
        .contains("the registry cannot keep writes")
        .contains("was removed while the agent ran")
        .doesNotContain("SELECT")
        .doesNotContain("UPDATE");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> AdminEndpoint.healthz(metrics),
            health -> health.startsWith("503 registry: the registry file"));
    Cli.Run node = cli.run("node");
    assertThat(node.exitCode()).as(node.err()).isZero();
    assertThat(node.out())
        .containsPattern("healthy +no")
        .contains("Faults:\n  registry: the registry file")
        .contains("was removed");
    Cli.Run status = cli.run("status");
    assertThat(status.exitCode()).as("what was observed stays readable: " + status.err()).isZero();
    // The process runtime keeps its own state under the data directory too: once it sees that
    // gone, the component is truthfully RuntimeDown; until then it is the running it was.
    assertThat(status.out()).containsPattern("loop +\\S+ +process +(running|RuntimeDown) ");
  }

  @Test
  void anAgentRefusesAnEmptyRegistryFileAndLeavesTheWorkloadsRunning() throws Exception {
    agent = AgentProcess.start(directory);
    assertThat(
            cli.run("apply", "-f", directory.resolve("services").toString(), "--wait").exitCode())
        .isZero();
    agent.terminate();
    long workloads = AgentProcess.processesUnder(directory).size();
    assertThat(workloads).isPositive();
    Files.write(directory.resolve("data/registry.mv.db"), new byte[0]);

    agent = AgentProcess.launch(directory);

    assertThat(agent.awaitExit()).isEqualTo(1);
    assertThat(agent.log())
        .contains("registry.mv.db is empty (0 bytes)")
        .contains("Restore the registry from a backup");
    assertThat(AgentProcess.processesUnder(directory)).hasSize((int) workloads);
    assertThat(Files.size(directory.resolve("data/registry.mv.db"))).isZero();
  }

  @Test
  void anAgentStoppedCleanlyLeavesNoH2ErrorInItsTraceFile() throws Exception {
    agent = AgentProcess.start(directory);
    assertThat(cli.run("apply", "-f", directory.resolve("services").toString()).exitCode())
        .isZero();

    agent.terminate();

    Path trace = directory.resolve("data/registry.trace.db");
    if (Files.exists(trace)) {
      assertThat(Files.readString(trace))
          .doesNotContain("already closed")
          .doesNotContain("Exception");
    }
    assertThat(agent.log()).doesNotContain("already closed");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
