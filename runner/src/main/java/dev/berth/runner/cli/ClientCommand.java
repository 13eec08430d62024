package dev.berth.runner.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the agent: it connects with the shared client options, runs, and turns
 * every failure into a message on stderr and an exit code. Subclasses only say what to ask and how
 * to print the answer.
 */
abstract class ClientCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  @ArgGroup(
      exclusive = false,
      validate = false,
      heading = "%nConnection options (CONNECTION):%n",
      order = 100)
  ClientOptions client = new ClientOptions();

  @Spec CommandSpec spec;

  @ParentCommand BerthCli berth;

  /** Runs the command over {@code agent}; returns the exit code. */
  abstract int run(AgentConnection agent) throws Exception;

  /**
   * Work done before connecting, such as reading files; an exit code other than {@link
   * ExitCodes#OK} ends the command there, without contacting the agent.
   */
  int prepare() throws Exception {
    return ExitCodes.OK;
  }

  /** How field paths in the agent's error messages are shown; as they are, by default. */
  UnaryOperator<String> errorPaths() {
    return UnaryOperator.identity();
  }

  @Override
  public final Integer call() throws Exception {
    ClientLogging.quiet(environment());
    try {
      int prepared = prepare();
      if (prepared != ExitCodes.OK) {
        return prepared;
      }
    } catch (CliException e) {
      err().println("error: " + e.getMessage());
      return e.exitCode();
    }
    try (AgentConnection agent = client().connect(environment(), spec.commandLine())) {
      try {
        return run(agent);
      } catch (StatusRuntimeException e) {
        return AgentErrors.report(e, agent.target(), agent.callTimeout(), errorPaths(), err());
      }
    } catch (CliException e) {
      err().println("error: " + e.getMessage());
      return e.exitCode();
    } finally {
      out().flush();
      err().flush();
    }
  }

  /**
   * The connection options, given after the command or before it; picocli leaves the group null
   * when none was given.
   */
  ClientOptions client() {
    return (client == null ? new ClientOptions() : client).over(berth.connection());
  }

  CliEnvironment environment() {
    return berth.environment();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
