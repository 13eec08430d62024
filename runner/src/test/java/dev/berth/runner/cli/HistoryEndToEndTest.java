package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * history and rollback against a real agent (its own JVM, the process runtime), keeping 3 specs per
 * service ({@code registry.history_limit}). One agent for the class; each test has a service of its
 * own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryEndToEndTest {

  @TempDir static Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeAll
  void startAgent() throws IOException {
    AgentProcess.writeAgentConfig(
        directory, "", "\"process\"", "\n[registry]\nhistory_limit = 3\n");
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterAll
  void stopAgent() {
    if (agent != null) {
      agent.close(); // and the services' processes with it
    }
  }

  /**
   * Declares {@code name} at {@code version}: a shell that idles with VERSION in its environment;
   * its command line names the test's directory, so that the test finds its process.
   */
  Path declare(String name, int version) throws IOException {
    return Files.writeString(
        directory.resolve(name + ".toml"),
        """
        name = "%s"

        [[components]]
        name = "app"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "while true; do sleep 0.2; done", "%s/%s"]
        restart = "always"

        [components.env]
        VERSION = "%d"
        """
            .formatted(name, directory, name, version));
  }

  Cli.Run berth(String... args) {
    return cli.run(args);
  }

  Cli.Run applyAndWait(String name, int version) throws IOException {
    Cli.Run run =
        berth("apply", "-f", declare(name, version).toString(), "--wait", "--timeout", "60s");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  AgentProto.HistoryResponse history(String name) throws IOException {
    Cli.Run run = berth("history", name, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.HistoryResponse.Builder history = AgentProto.HistoryResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), history);
    return history.build();
  }

  /** The VERSION of each process of {@code name} running now, from its environment. */
  List<String> runningVersions(String name) throws IOException {
    List<String> versions = new java.util.ArrayList<>();
    for (ProcessHandle process : AgentProcess.processesUnder(directory.resolve(name))) {
      String environ = Files.readString(Path.of("/proc/" + process.pid() + "/environ"));
      for (String variable : environ.split("\0")) {
        if (variable.startsWith("VERSION=")) {
          versions.add(variable.substring("VERSION=".length()));
        }
      }
    }
    return versions;
  }

  AgentProto.Service status(String name) throws IOException {
    Cli.Run run = berth("status", name, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), service);
    return service.build();
  }

  @Test
  void historyShowsBothSpecsWithTheChangeAndRollbackWaitRunsTheFirstAgainAsGenerationThree()
      throws Exception {
    applyAndWait("hist", 1);
    applyAndWait("hist", 2);

    Cli.Run history = berth("history", "hist");

    assertThat(history.exitCode()).as(history.err()).isZero();
    List<String> lines = history.outLines();
    String source = "file:" + directory.resolve("hist.toml");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("GENERATION  DECLARED              HEALTHY  BY");
    assertThat(lines.get(1))
        .matches("1 {11}\\d{4}-\\d\\d-\\d\\dT\\S+Z  yes {6}\\Q" + source + "\\E");
    assertThat(lines.get(2)).matches("2 {11}\\S+Z  yes {6}\\Q" + source + "\\E");
    assertThat(lines.get(3)).isEqualTo("  ~ components[0].env.VERSION: \"1\" -> \"2\"");

    Cli.Run rollback = berth("rollback", "hist", "--to", "1", "--wait", "--timeout", "60s");

    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(rollback.outLines())
        .startsWith(
            "hist rolled back to generation 1 (generation 3)",
            "  ~ components[0].env.VERSION: \"2\" -> \"1\"")
        .contains("hist converged");
    AgentProto.Service service = status("hist");
    assertThat(service.getGeneration()).isEqualTo(3);
    assertThat(service.getSpec().getComponents(0).getEnvMap()).containsEntry("VERSION", "1");
    assertThat(service.getSource()).as("the service keeps its owner").isEqualTo(source);
    assertThat(runningVersions("hist")).containsExactly("1");
    AgentProto.HistoryEntry third = history("hist").getEntries(2);
    assertThat(third.getGeneration()).isEqualTo(3);
    assertThat(third.getRollbackOf()).isEqualTo(1);
    assertThat(third.getSource()).isEqualTo("cli");
    assertThat(third.hasHealthyAt()).as("converged: --wait saw it").isTrue();
  }

  @Test
  void aGenerationBeyondTheLimitExits4NamingWhatIsKeptAndChangesNothing() throws Exception {
    for (int version = 1; version <= 4; version++) {
      declare("kept", version);
      Cli.Run applied = berth("apply", "-f", directory.resolve("kept.toml").toString());
      assertThat(applied.exitCode()).as(applied.err()).isZero();
    }

    Cli.Run run = berth("rollback", "kept", "--to", "1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err())
        .isEqualTo(
            "error: service kept has no generation 1 in its history (it keeps generations 2, 3,"
                + " 4; at most 3 are kept)\n");
    assertThat(history("kept").getEntriesList())
        .extracting(AgentProto.HistoryEntry::getGeneration)
        .containsExactly(2L, 3L, 4L);
    assertThat(status("kept").getGeneration()).isEqualTo(4);
  }

  @Test
  void aStaleExpectedGenerationExits5AndChangesNothing() throws Exception {
    for (int version = 1; version <= 2; version++) {
      declare("stale", version);
      assertThat(berth("apply", "-f", directory.resolve("stale.toml").toString()).exitCode())
          .isZero();
    }

    Cli.Run run = berth("rollback", "stale", "--expected-generation", "1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err()).contains("expected generation 1, found 2");
    assertThat(status("stale").getGeneration()).isEqualTo(2);
  }

  @Test
  void aSpecWhoseExecutableIsGoneFromTheNodeIsRefusedWithItsPathAndChangesNothing()
      throws Exception {
    Path shell = Files.copy(Path.of("/bin/sh"), directory.resolve("old-sh"));
    Path file = directory.resolve("gone.toml");
    String spec =
        """
        name = "gone"

        [[components]]
        name = "app"
        runtime = "process"
        executable = "%s"
        cmd = ["-c", "while true; do sleep 0.2; done", "%s/gone"]
        """;
    Files.writeString(file, spec.formatted(shell, directory));
    assertThat(berth("apply", "-f", file.toString()).exitCode()).isZero();
    Files.writeString(file, spec.formatted("/bin/sh", directory));
    assertThat(berth("apply", "-f", file.toString()).exitCode()).isZero();
    Files.delete(shell);

    Cli.Run run = berth("rollback", "gone", "--to", "1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "error: history[1].components[0].executable: must be an executable file on this"
                + " node: \""
                + shell
                + "\" does not exist\n");
    assertThat(status("gone").getGeneration()).isEqualTo(2);
  }

  @Test
  void anUnknownServiceExits4ForBoth() {
    assertThat(berth("history", "ghost").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(berth("rollback", "ghost").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
