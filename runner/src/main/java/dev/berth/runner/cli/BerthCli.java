package dev.berth.runner.cli;

import dev.berth.runner.BerthVersion;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code berth}: the command line of a Berth node, and of its Kubernetes operator. Every command
 * but {@code agent}, {@code operator}, {@code validate}, {@code kube export} and {@code version} is
 * a client of the agent's gRPC API.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = BerthVersion.class,
    description = "Runs a Berth node agent, and declares and inspects the services it keeps.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      AgentCommand.class,
      OperatorCommand.class,
      ApplyCommand.class,
      DiffCommand.class,
      StatusCommand.class,
      LogsCommand.class,
      StopCommand.class,
      StartCommand.class,
      RestartCommand.class,
      DeleteCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      RecoverCommand.class,
      AdoptCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      RoutesCommand.class,
      EventsCommand.class,
      NodeCommand.class,
      ValidateCommand.class,
      KubeCommand.class,
      VersionCommand.class,
      HelpCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failed: bad input, a refused request, a failure seen by apply or rollback --wait",
      "2:usage error",
      "3:cannot reach the agent (no socket, connection refused)",
      "4:not found",
      "5:conflict: a route claimed twice, the service changed meanwhile, or another source's",
      "6:not authenticated, or not allowed",
      "7:timed out: no answer in time, or apply or rollback --wait ran out of time",
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  BERTH_SOCKET      the agent's unix socket when --socket is not given",
      "                    (default ./berth.sock)",
      "  BERTH_TOKEN_FILE  the bearer token's file when --token-file is not given",
      "",
      "Client commands reach the agent over its unix socket, or over TCP with",
      "--address and mutual TLS (--cert, --key, --ca) or --insecure.",
      "`berth COMMAND --help` describes a command; docs/cli.md, all of them.",
    })
public final class BerthCli implements Callable<Integer> {

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  /** The CLI of this process: its environment variables, clock and Ctrl-C. */
  public BerthCli() {
    this(CliEnvironment.system());
  }

  public BerthCli(CliEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /** What the commands take from the process around them. */
  public CliEnvironment environment() {
    return environment;
  }

  /** {@code berth} without a command is a usage error: it prints the help, exit 2. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }

  /**
   * The command line, with a last-resort handler for exceptions no command expected: they print as
   * {@code error: ...} and exit 1 (with the stack trace when BERTH_DEBUG is set).
   */
  public static CommandLine commandLine(CliEnvironment environment) {
    CommandLine line = new CommandLine(new BerthCli(environment));
    line.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + e);
          if (environment.variable("BERTH_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return ExitCodes.FAILED;
        });
    return line;
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.system()).execute(args));
  }
}
