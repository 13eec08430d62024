package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line as a whole: help, usage errors, version. */
class BerthCliTest {

  @Test
  void helpListsTheCommandsExitCodesAndEnvironment() {
    Cli.Run run = Cli.plain().run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: berth [-hV] [CONNECTION] COMMAND")
        .contains("  apply       Declare the services of a file or directory.")
        .contains("  validate    Check service-definition files, offline.")
        .contains("  completion  Print the shell completion script.")
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
    assertThat(run.err()).isEqualTo("error: a command is needed\nRun 'berth --help' for usage.\n");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Cli.Run run = Cli.plain().run("stauts");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("error: Unmatched argument at index 0: 'stauts'\n")
        .contains("status")
        .endsWith("Run 'berth --help' for usage.\n");
  }

  @Test
  void anUnknownOptionIsOneLineAndAHintNotTheHelp() {
    Cli.Run run = Cli.plain().run("status", "--jsn");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("error: Unknown option: '--jsn'\n")
        .endsWith("Run 'berth status --help' for usage.\n")
        .doesNotContain("Usage:");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void theDocShowsAUsageErrorAsItIsPrinted() throws Exception {
    Cli.Run run = Cli.plain().run("status", "--jsn");

    assertThat(Files.readString(Path.of("..", "docs", "cli.md")))
        .contains("```\n$ berth status --jsn\n" + run.err() + "```\n");
  }

  @Test
  void aMissingParameterIsOneLineAndAHint() {
    // (stop takes SERVICE or -l SELECTOR: its own check says so, in the same one-line form.)
    Cli.Run run = Cli.plain().run("logs");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: Missing required parameter: 'SERVICE'\n"
                + "Run 'berth logs --help' for usage.\n");
  }

  @Test
  void aBadValueIsOneLineAndAHintNamingTheSubcommand() {
    Cli.Run run = Cli.plain().run("kube", "export", "-f");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("error: Missing required parameter for option '--file'")
        .endsWith("\nRun 'berth kube export --help' for usage.\n");
    assertThat(run.err().lines()).hasSize(2);
  }

  @Test
  void connectionOptionsBeforeACommandThatDoesNotReachTheAgentAreAUsageError() {
    Cli.Run run = Cli.plain().run("--socket", "x.sock", "version");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "error: connection options go with the commands that reach the agent, not with"
                + " berth version\n");
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

  /** The command line main builds for {@code args}: which commands it registered. */
  private static Set<String> registered(String... args) {
    return BerthCli.commandLine(CliEnvironment.system(), args).getSubcommands().keySet();
  }

  @Test
  void aCommandLineThatNamesACommandBuildsThatOneOnly() {
    assertThat(registered("status")).containsExactly("status");
    assertThat(registered("--socket", "x.sock", "status", "--json")).containsExactly("status");
    assertThat(registered("--socket=x.sock", "--insecure", "logs", "web")).containsExactly("logs");
    // The value of an option is not a command, though it is spelt like one.
    assertThat(registered("--context", "status", "kube", "export")).containsExactly("kube");
    assertThat(registered("config", "use-context", "rift")).containsExactly("config");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "",
        "--help",
        "-h status",
        "-V status",
        "--version",
        "help status",
        "completion bash",
        "stauts",
        "--socket x.sock stauts",
        "--socket",
        "--bogus status",
        "-- status",
        "@args.txt status",
        "--socket=x.sock --insecure"
      })
  void aCommandLineThatNeedsTheWholeModelOrIsUnclearGetsEveryCommand(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");

    assertThat(registered(args))
        .containsExactlyElementsOf(
            BerthCli.commandLine(CliEnvironment.system()).getSubcommands().keySet())
        .contains("help", "completion", "status", "agent");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "status --jsn",
        "--socket x.sock stauts",
        "version foo",
        "--socket x.sock version",
        "kube export -f",
        "config use-context",
        "logs"
      })
  void aCommandBuiltAloneFailsAsItDoesAmongAllOthers(String line) {
    String[] args = line.split(" ");
    Cli.Run alone = Cli.plain().run(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine all =
        BerthCli.commandLine(
            new CliEnvironment(
                Map.of("XDG_CONFIG_HOME", "/nonexistent/berth-tests"),
                Clock.systemUTC(),
                new ManualStopSignal()));
    all.setOut(new PrintWriter(out, true));
    all.setErr(new PrintWriter(err, true));

    int exit = all.execute(args);

    assertThat(alone.exitCode()).isEqualTo(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(alone.err()).isEqualTo(err.toString());
    assertThat(alone.out()).isEqualTo(out.toString());
  }
}
