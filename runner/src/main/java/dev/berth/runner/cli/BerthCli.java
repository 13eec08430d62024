package dev.berth.runner.cli;

import dev.berth.runner.BerthVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code berth}: the command line of a Berth node, and of its Kubernetes operator. Every command
 * but {@code agent}, {@code operator}, {@code validate}, {@code kube export} and {@code version} is
 * a client of the agent's gRPC API.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = BerthVersion.class,
    customSynopsis = "berth [-hV] [CONNECTION] COMMAND",
    description = "Runs a Berth node agent, and declares and inspects the services it keeps.",
    synopsisSubcommandLabel = "COMMAND",
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
      "  BERTH_ADDRESS     the agent's HOST:PORT when --address is not given",
      "  BERTH_CA, BERTH_CERT, BERTH_KEY",
      "                    the TLS files when --ca, --cert, --key are not given",
      "  BERTH_TOKEN_FILE  the bearer token's file when --token-file is not given",
      "  BERTH_CLIENT_CONFIG",
      "                    the client configuration, with its contexts (default",
      "                    ~/.config/berth/config.toml; see berth config)",
      "",
      "Client commands reach the agent over its unix socket, or over TCP with",
      "--address and mutual TLS (--cert, --key, --ca) or --insecure. The connection",
      "options go before or after the command; each comes from its flag, else its",
      "variable, else the context, else its default.",
      "`berth COMMAND --help` describes a command; docs/cli.md, all of them.",
      "",
      "Examples:",
      "  # What runs, on the agent of ./berth.sock",
      "  berth status",
      "  # The same on the agent of context rift (see berth config)",
      "  berth --context rift status",
      "  # Declare the services of a directory, and wait until they run",
      "  berth apply -f services/ --wait",
    })
public final class BerthCli implements Callable<Integer> {

  /**
   * The commands, in the order help lists them. They are registered by {@link #commandLine}, not in
   * the annotation: picocli builds the model of every command it is given (most of a client
   * command's CPU time), and a command line that names one needs only that one's.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
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
          ConfigCommand.class,
          CompletionCommand.class,
          HelpCommand.class);

  /**
   * Commands that read the whole command line's model: help describes any command, completion
   * writes a script for all of them.
   */
  private static final Set<Class<?>> NEED_ALL = Set.of(HelpCommand.class, CompletionCommand.class);

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  /**
   * Connection options given before the command ({@code berth --socket S status}); the command's
   * own, given after it, win over these.
   */
  @ArgGroup(
      exclusive = false,
      validate = false,
      heading = "%nConnection options (CONNECTION), before or after a client COMMAND:%n",
      order = 100)
  ClientOptions connection = new ClientOptions();

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

  /** The connection options given before the command; none given is an empty set. */
  ClientOptions connection() {
    return connection == null ? new ClientOptions() : connection;
  }

  /** {@code berth} without a command is a usage error: it prints the help, exit 2. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }

  /**
   * The command line, with a last-resort handler for exceptions no command expected: they print as
   * {@code error: ...} and exit 1 (with the stack trace when BERTH_DEBUG is set). A usage error
   * prints one line and a hint, not the whole help: in a terminal the help pushes the one line that
   * matters out of sight.
   */
  public static CommandLine commandLine(CliEnvironment environment) {
    return commandLine(environment, new String[0]); // no command named: every one registered
  }

  /**
   * The command line that runs {@code args}: as {@link #commandLine(CliEnvironment)}, but when
   * {@code args} name a command (after connection options, if any) that reads no other command's
   * model, only that command is registered. What {@code args} do is the same either way; anything
   * this cannot tell for certain (an unknown word, an option it does not know, {@code @FILE}, no
   * command) gets every command.
   */
  public static CommandLine commandLine(CliEnvironment environment, String[] args) {
    CommandLine line = new CommandLine(new BerthCli(environment));
    Class<?> invoked = invoked(line.getCommandSpec(), args);
    if (invoked == null) {
      COMMANDS.forEach(line::addSubcommand);
    } else {
      line.addSubcommand(invoked);
    }
    return configure(line, environment);
  }

  /**
   * The command {@code args} run, when certain and it needs no other command's model; else null.
   * Before the command come only options of {@code berth} itself, each with as many values as it
   * takes.
   */
  static Class<?> invoked(CommandSpec berth, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("@") || arg.equals("--")) {
        return null; // an argument file, or the end of options: left to picocli
      }
      if (arg.startsWith("-")) {
        int equals = arg.indexOf('=');
        OptionSpec option = berth.findOption(equals < 0 ? arg : arg.substring(0, equals));
        if (option == null
            || option.usageHelp()
            || option.versionHelp()
            || option.arity().min() != option.arity().max()) {
          return null; // unknown, help or version (which describe berth), or a value maybe given
        }
        if (equals < 0) {
          i += option.arity().max();
        } else if (option.arity().max() != 1) {
          return null;
        }
        continue;
      }
      for (Class<?> command : COMMANDS) {
        Command annotation = command.getAnnotation(Command.class);
        if (annotation.name().equals(arg) || List.of(annotation.aliases()).contains(arg)) {
          return NEED_ALL.contains(command) ? null : command;
        }
      }
      return null;
    }
    return null;
  }

  private static CommandLine configure(CommandLine line, CliEnvironment environment) {
    line.setParameterExceptionHandler(BerthCli::usageError);
    line.setExecutionStrategy(BerthCli::execute);
    CommandLine help = line.getSubcommands().get("help");
    if (help != null) {
      help.getCommandSpec()
          .usageMessage()
          .footerHeading("%nExamples:%n")
          .footer("  berth help status", "  berth help kube export");
    }
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

  /**
   * {@code error: <what is wrong>}, picocli's suggestions for a misspelt command or option, and
   * where the usage is: exit 2.
   */
  static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * Runs the command given last, once connection options given before a command that does not reach
   * the agent are refused: {@code berth --socket S agent} would otherwise ignore them.
   */
  private static int execute(ParseResult parsed) {
    ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    Object command = last.commandSpec().userObject();
    boolean connectionGiven = parsed.matchedOptions().stream().anyMatch(o -> o.group() != null);
    if (connectionGiven
        && last != parsed
        && !(command instanceof ClientCommand)
        && !(command instanceof HelpCommand)) {
      throw new ParameterException(
          last.commandSpec().commandLine(),
          "connection options go with the commands that reach the agent, not with "
              + last.commandSpec().qualifiedName());
    }
    return new RunLast().execute(parsed);
  }

  public static void main(String[] args) {
    CliEnvironment environment = CliEnvironment.system();
    boolean client = ClientJvm.configure(args, environment);
    if (VersionCommand.printAlone(args, System.out)) {
      System.exit(ExitCodes.OK);
    }
    if (client) {
      ClientWarmUp.startFor(args);
    }
    System.exit(commandLine(environment, args).execute(args));
  }
}
