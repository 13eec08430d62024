package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth status --watch} against a real agent (its own JVM, the process runtime): the table,
 * then a line for each row that changes, until Ctrl-C; exit 3 when the agent goes away. Each test
 * has a service of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusWatchEndToEndTest {

  static final Duration CHANGE = Duration.ofSeconds(15);

  @TempDir static Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeAll
  void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterAll
  void stopAgent() {
    if (agent != null) {
      agent.close(); // and the services' processes with it
    }
  }

  /** Declares {@code name}, an idling shell whose command line names the test's directory. */
  static void declare(Cli cli, Path directory, String name) throws IOException {
    Path file =
        Files.writeString(
            directory.resolve(name + ".toml"),
            """
            name = "%s"

            [[components]]
            name = "app"
            runtime = "process"
            executable = "/bin/sh"
            cmd = ["-c", "while true; do sleep 0.2; done", "%s/%s"]
            restart = "always"
            """
                .formatted(name, directory, name));
    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait", "--timeout", "60s");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  @Test
  void watchPrintsTheTableThenALineForEachRowThatChanges() throws Exception {
    declare(cli, directory, "watched");
    ManualStopSignal ctrlC = new ManualStopSignal();
    Cli.Running watch = cli.withStopSignal(ctrlC).start("status", "watched", "--watch");
    await().atMost(CHANGE).until(ctrlC::armed);
    assertThat(watch.outSoFar().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("SERVICE  COMPONENT  RUNTIME  STATE");

    assertThat(cli.run("stop", "watched").exitCode()).isZero();
    await()
        .atMost(CHANGE)
        .until(
            () ->
                watch
                    .outSoFar()
                    .lines()
                    .anyMatch(l -> l.matches("watched +app +\\S+ +stopped .*")));
    ctrlC.stop();
    Cli.Run run = watch.await();

    assertThat(run.exitCode()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines.get(1)).matches("watched +app +process +running .*");
    assertThat(lines.subList(2, lines.size()))
        .as("only changes after the table, each row once per change, aligned with the table")
        .doesNotHaveDuplicates()
        .allSatisfy(line -> assertThat(line).matches("watched  app        process  \\S+ .*"));
  }

  @Test
  void watchAsJsonPrintsOneServicePerLineForEachChange() throws Exception {
    declare(cli, directory, "json");
    ManualStopSignal ctrlC = new ManualStopSignal();
    Cli.Running watch = cli.withStopSignal(ctrlC).start("status", "json", "-w", "-o", "json");
    await().atMost(CHANGE).until(ctrlC::armed);

    assertThat(cli.run("stop", "json").exitCode()).isZero();
    await().atMost(CHANGE).until(() -> watch.outSoFar().contains("\"state\":\"stopped\""));
    ctrlC.stop();
    Cli.Run run = watch.await();

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).hasSizeGreaterThan(1);
    for (String line : run.outLines()) {
      AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
      JsonFormat.parser().merge(line, service);
      assertThat(service.getSpec().getName()).isEqualTo("json");
    }
  }

  @Test
  void aDeletedServiceShowsItsRowsAsDeleted() throws Exception {
    declare(cli, directory, "doomed");
    ManualStopSignal ctrlC = new ManualStopSignal();
    Cli.Running watch = cli.withStopSignal(ctrlC).start("status", "-w", "--no-headers");
    await().atMost(CHANGE).until(ctrlC::armed);

    assertThat(cli.run("delete", "doomed").exitCode()).isZero();
    await()
        .atMost(CHANGE)
        .until(
            () ->
                watch
                    .outSoFar()
                    .lines()
                    .anyMatch(l -> l.matches("doomed +app +process +deleted .*")));
    ctrlC.stop();

    assertThat(watch.await().exitCode()).isZero();
  }

  @Test
  void watchExits3WhenTheAgentGoesAway(@TempDir Path other) throws Exception {
    AgentProcess.writeProcessAgentConfig(other);
    Cli otherCli = Cli.onSocket(other.resolve("berth.sock"));
    try (AgentProcess doomed = AgentProcess.start(other)) {
      ManualStopSignal ctrlC = new ManualStopSignal();
      Cli.Running watch = otherCli.withStopSignal(ctrlC).start("status", "-w");
      await().atMost(CHANGE).until(ctrlC::armed);
      assertThat(watch.outSoFar()).startsWith("SERVICE");

      doomed.kill9();
      Cli.Run run = watch.await();

      assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(run.err())
          .startsWith("error: cannot reach the Berth agent at " + other.resolve("berth.sock"));
    }
  }
}
