package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As docs/running-on-a-node.md tells an operator: a registry moved away and made anew leaves the
 * old registry's workloads running and lists them under their registry's id in {@code berth node};
 * {@code berth adopt ID} hands them over, and the new registry then removes those it does not
 * declare.
 */
class AgentRegistryIdentityTest {

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeEach
  void configure() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
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
  void aRegistryMadeAnewLeavesTheOldOnesWorkloadsUntilTheOperatorAdoptsThem() throws Exception {
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", directory.resolve("services").toString(), "--wait");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    String oldRegistry = node().getRegistry();
    assertThat(UUID.fromString(oldRegistry)).hasToString(oldRegistry);
    ProcessHandle loop = loopProcess();
    agent.terminate();
    Files.move(
        directory.resolve("data/registry.mv.db"), directory.resolve("registry.mv.db.moved-away"));

    agent = AgentProcess.start(directory);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cli.run("node").out(), out -> out.contains(oldRegistry + "  1"));
    assertThat(node().getRegistry()).isNotEqualTo(oldRegistry);
    assertThat(cli.run("node").out())
        .contains("Made by another registry (never touched; `berth adopt REGISTRY`");
    assertThat(loop.isAlive()).as("the old registry's workload is left running").isTrue();

    Cli.Run adopted = cli.run("adopt", oldRegistry);

    assertThat(adopted.exitCode()).as(adopted.err()).isZero();
    assertThat(adopted.out())
        .isEqualTo(
            "registry "
                + oldRegistry
                + " adopted: 1 workload now managed by this agent's registry\n");
    await().atMost(Duration.ofSeconds(20)).until(() -> !loop.isAlive());
    assertThat(node().getIgnoredWorkloads()).isZero();
    assertThat(cli.run("adopt", oldRegistry).out()).contains("was adopted already");
  }

  @Test
  void adoptingWhatIsNotARegistryIdIsRefusedNamingTheField() throws Exception {
    agent = AgentProcess.start(directory);

    Cli.Run refused = cli.run("adopt", "not-a-registry");

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err())
        .contains("registry: must be a registry id (a UUID as `berth node` shows it)")
        .contains("\"not-a-registry\"");
  }

  private AgentProto.NodeStatusResponse node() throws IOException {
    Cli.Run run = cli.run("node", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.NodeStatusResponse.Builder node = AgentProto.NodeStatusResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), node);
    return node.build();
  }

  /** The service's shell loop: its command line names the test's directory. */
  private ProcessHandle loopProcess() {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                AgentProcess.processesUnder(directory).stream()
                    .filter(p -> p.info().commandLine().orElse("").contains("busybox sleep"))
                    .filter(p -> p.info().command().orElse("").endsWith("sh"))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }
}
