package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.podman.PodmanTestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent with real podman, as docs/cli.md describes it: {@code berth status} names the
 * runtime that runs a container ({@code podman}, not the kind {@code container}), and {@code berth
 * status --ignored} lists a container started by hand beside Berth's, which {@code berth node} only
 * counts.
 */
class PodmanAgentEndToEndTest {

  @TempDir Path directory;
  PodmanTestEnvironment podman;
  Cli cli;
  AgentProcess agent;
  String service;

  @BeforeEach
  void startAgent() throws IOException {
    podman = PodmanTestEnvironment.start();
    service = "web-" + podman.runId();
    AgentProcess.writeAgentConfig(
        directory,
        "",
        "\"podman\"",
        "\n[runtimes.podman]\ncontainers_conf = \"%s\"\n"
            .formatted(podman.config().containersConf()));
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterEach
  void stopAgent() throws IOException {
    try {
      if (agent != null && agent.alive()) {
        cli.run("delete", service);
      }
      if (agent != null) {
        agent.close();
      }
    } finally {
      // Whatever the agent left behind: the service's container, and the one started by hand.
      podman.host().removeContainersLabelled("berth.service", service);
      podman.close();
    }
  }

  @Test
  void statusNamesTheRuntimeAndIgnoredListsAContainerStartedByHand() throws Exception {
    Path file = directory.resolve("web.toml");
    Files.writeString(
        file,
        """
        name = "%s"

        [[components]]
        name = "app"
        image = "%s"
        cmd = ["sleep", "600"]
        """
            .formatted(service, podman.image()));
    String byHand = "by-hand-" + podman.runId();
    podman
        .host()
        .run(
            "run",
            "-d",
            "--name",
            byHand,
            "--label",
            PodmanTestEnvironment.LABEL + "=" + podman.runId(),
            podman.image(),
            "sleep",
            "600");

    Cli.Run apply = cli.run("apply", "-f", file.toString(), "--wait");
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();

    Cli.Run status = cli.run("status");
    assertThat(status.outLines().get(0)).startsWith("SERVICE ").contains(" RUNTIME ");
    assertThat(status.outLines())
        .anySatisfy(line -> assertThat(line).matches(service + " +app +podman +running .*"));

    Cli.Run ignored =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> cli.run("status", "--ignored"), run -> run.out().contains(byHand));
    assertThat(ignored.exitCode()).isZero();
    assertThat(ignored.outLines().get(0)).matches("RUNTIME +ID +NAME +KIND +IMAGE +STATE +MADE BY");
    assertThat(ignored.outLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("podman ")
                    .contains("  " + byHand + "  container  " + podman.image() + "  running  -"))
        .noneSatisfy(line -> assertThat(line).contains(service));
  }

  @Test
  void logsOfAContainerTellEachLinesTimeAndSinceLeavesOutTheEarlierOnes() throws Exception {
    Path file = directory.resolve("web.toml");
    Files.writeString(
        file,
        """
        name = "%s"

        [[components]]
        name = "app"
        image = "%s"
        cmd = ["sh", "-c", "echo early; sleep 2; echo late; sleep 600"]
        """
            .formatted(service, podman.image()));
    Cli.Run apply = cli.run("apply", "-f", file.toString(), "--wait");
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cli.run("logs", service).out().equals("early\nlate\n"));

    Cli.Run timed = cli.run("logs", service, "--timestamps");

    assertThat(timed.outLines())
        .hasSize(2)
        .allSatisfy(
            line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (early|late)"));
    java.time.Instant early = java.time.Instant.parse(timed.outLines().get(0).split(" ")[0]);
    Cli.Run since = cli.run("logs", service, "--since", early.plusSeconds(1).toString());
    assertThat(since.out()).as(since.err()).isEqualTo("late\n");
  }
}
