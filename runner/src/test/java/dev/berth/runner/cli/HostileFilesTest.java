package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not service definitions, given to {@code berth apply} of a real agent and to the
 * agent itself as its configuration: each is a clear error naming the file, never a hang, an
 * OutOfMemoryError or a StackOverflowError, and nothing is applied. docs/cli.md and
 * docs/service-definitions.md state these messages.
 */
class HostileFilesTest {

  // A hang guard only: each case ends in well under a second when it passes.
  private static final Duration HANG = Duration.ofSeconds(60);

  @TempDir static Path directory;
  static Cli cli;
  static AgentProcess agent;

  @BeforeAll
  static void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterAll
  static void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void applyOfADeviceIsRefusedUnreadAndAppliesNothing() throws IOException {
    Cli.Run run = assertTimeoutPreemptively(HANG, () -> cli.run("apply", "-f", "/dev/zero"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "zero: is a character device, not a regular file\n"
                + "error: 1 problem in /dev/zero; nothing was applied\n");
    assertDocumented(run);
    assertNothingApplied();
  }

  @Test
  void applyOfAFifoIsRefusedRatherThanWaitedOn() throws Exception {
    Path services = Files.createDirectories(directory.resolve("fifo-services"));
    Files.writeString(services.resolve("a.toml"), ServiceFilesFixture.HELLO);
    mkfifo(services.resolve("web.toml"));

    Cli.Run run =
        assertTimeoutPreemptively(HANG, () -> cli.run("apply", "-f", services.toString()));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).startsWith("web.toml: is a FIFO, not a regular file\n");
    assertDocumented(run);
    assertNothingApplied();
  }

  @Test
  void applyOfDeepNestingIsAnErrorNamingTheFile() throws IOException {
    Path file = directory.resolve("deep.toml");
    Files.writeString(file, "name = \"deep\"\nenv = " + "[".repeat(200_000));

    Cli.Run run = cli.run("apply", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .startsWith(
            "deep.toml: arrays, inline tables and tables are nested too deep: Berth reads at most"
                + " 32 levels\n")
        .doesNotContain("Exception", "\tat ");
    assertDocumented(run);
    assertNothingApplied();
  }

  @Test
  void applyOfATomlSyntaxErrorNamesItsLine() throws IOException {
    Path file = directory.resolve("syntax.toml");
    Files.writeString(file, "name = \"syntax\"\n\n[[components]\nname = \"app\"\n");

    Cli.Run run = cli.run("apply", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).startsWith("syntax.toml:3: TOML syntax error: Unexpected token");
    assertDocumented(run);
    assertNothingApplied();
  }

  @Test
  void anAgentWhoseConfigurationIsAFifoRefusesToStart() throws Exception {
    Path other = Files.createDirectories(directory.resolve("fifo-agent"));
    mkfifo(other.resolve("berth.toml"));

    try (AgentProcess refused = AgentProcess.launch(other)) {
      assertThat(refused.awaitExit()).isEqualTo(ExitCodes.FAILED);
      assertThat(refused.log()).contains("berth.toml: is a FIFO, not a regular file");
    }
  }

  @Test
  void anAgentWhoseConfigurationNestsWithoutEndRefusesToStart() throws Exception {
    Path other = Files.createDirectories(directory.resolve("deep-agent"));
    Files.writeString(other.resolve("berth.toml"), "node = " + "[".repeat(200_000));

    try (AgentProcess refused = AgentProcess.launch(other)) {
      assertThat(refused.awaitExit()).isEqualTo(ExitCodes.FAILED);
      assertThat(refused.log())
          .contains("berth.toml: arrays, inline tables and tables are nested too deep")
          .doesNotContain("StackOverflowError");
    }
  }

  /** docs/cli.md shows the first line the command printed, word for word. */
  private static void assertDocumented(Cli.Run run) throws IOException {
    assertThat(Files.readString(StatusDocTest.DOC)).contains(run.err().lines().findFirst().get());
  }

  private static void assertNothingApplied() {
    Cli.Run status = cli.run("status", "--json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).doesNotContain("\"name\"");
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
  }
}
