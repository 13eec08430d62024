package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As docs/running-on-a-node.md says: the agent that starts after a kill -9 rewrites the registry
 * before it reads anything, says so in its log, and still holds what was declared; after a clean
 * stop it does not.
 */
class AgentRegistryRewriteTest {

  private static final String REWRITE_LINE =
      "the agent before this one stopped without closing the registry";

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
  void theAgentAfterAKillRewritesTheRegistryKeepingWhatWasDeclared() throws Exception {
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", directory.resolve("services").toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    agent.kill9();

    agent = AgentProcess.start(directory);

    assertThat(agent.ownLog())
        .contains(REWRITE_LINE)
        .containsPattern("rewrote the file \\(\\d+ -> \\d+ bytes, \\d+ ms\\)");
    Cli.Run status = cli.run("status", "loop");
    assertThat(status.exitCode()).as(status.err()).isZero();
  }

  @Test
  void theAgentAfterACleanStopOpensTheRegistryAsItIs() throws Exception {
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", directory.resolve("services").toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(agent.terminate()).isIn(0, 143);

    agent = AgentProcess.start(directory);

    assertThat(agent.ownLog()).doesNotContain(REWRITE_LINE);
    Cli.Run status = cli.run("status", "loop");
    assertThat(status.exitCode()).as(status.err()).isZero();
  }
}
