package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logs --since} and {@code --timestamps} against a real agent of host processes: the process
 * runtime keeps its workloads' output as written, without times, so the agent refuses them and says
 * why (podman's times: PodmanRuntimeTest).
 */
class LogTimesEndToEndTest {

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeEach
  void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    Path file =
        Files.writeString(
            directory.resolve("talker.toml"),
            """
            name = "talker"

            [[components]]
            name = "app"
            runtime = "process"
            executable = "/bin/sh"
            cmd = ["-c", "echo hello; while true; do sleep 0.2; done", "%s"]
            """
                .formatted(directory));
    assertThat(cli.run("apply", "-f", file.toString()).exitCode()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cli.run("logs", "talker").out().equals("hello\n"));
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      cli.run("delete", "talker");
      agent.close();
    }
  }

  @Test
  void theProcessRuntimeKeepsNoTimesSoSinceIsRefusedSayingWhy() {
    Cli.Run run = cli.run("logs", "talker", "--since", "10m");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "error: talker/app runs on a runtime that keeps no time for its log lines (the"
                + " process and unikernel runtimes keep the output as it was written): since and"
                + " timestamps need one that does (podman)\n");
    assertThat(cli.run("logs", "talker", "--timestamps").err()).contains("keeps no time");
  }
}
