package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a whole: help, usage errors, version. */
class BerthCliTest {

  @Test
  void helpListsTheCommandsExitCodesAndEnvironment() {
    Cli.Run run = Cli.plain().run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: berth [-hV] COMMAND")
        .contains("  apply     Declare the services of a file or directory.")
        .contains("  validate  Check service-definition files, offline.")
        .contains("Exit codes:\n  0   ok\n  1   failed")
        .contains("  3   cannot reach the agent")
        .contains("  7   timed out")
        .contains("BERTH_SOCKET")
        .contains("BERTH_TOKEN_FILE");
  }

  @ParameterizedTest(name = "{0} --help")
  @ValueSource(
      strings = {
        "apply",
        "diff",
        "status",
        "logs",
        "stop",
        "start",
        "restart",
        "delete",
        "history",
        "rollback",
        "recover",
        "routes",
        "events",
        "node",
        "validate",
        "version"
      })
  void everyCommandHasHelp(String command) {
    Cli.Run run = Cli.plain().run(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: berth " + command);
  }

  @Test
  void clientCommandsShowTheirConnectionOptionsApart() {
    assertThat(Cli.plain().run("status", "--help").out())
        .contains("Connection options (CONNECTION):\n      --address=HOST:PORT");
  }

  @Test
  void withoutACommandItIsAUsageError() {
    Cli.Run run = Cli.plain().run();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("a command is needed").contains("Usage: berth");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Cli.Run run = Cli.plain().run("stauts");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Unmatched argument at index 0: 'stauts'").contains("status");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(Cli.plain().run("status", "--jsn").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void versionIsDevOutsideABuiltJarAndNamesTheJava() {
    Cli.Run run = Cli.plain().run("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines().get(0)).isEqualTo("berth dev");
    assertThat(run.outLines().get(1)).startsWith("java " + Runtime.version().feature());
  }

  @Test
  void versionOptionPrintsTheSame() {
    assertThat(Cli.plain().run("--version").out()).isEqualTo(Cli.plain().run("version").out());
  }
}
