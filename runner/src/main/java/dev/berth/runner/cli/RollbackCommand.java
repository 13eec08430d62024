package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth rollback SERVICE [--to GENERATION] [--expected-generation N] [--wait] [-o FORMAT]}.
 */
@Command(
    name = "rollback",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Back to the spec before this one",
      "  berth rollback web",
      "  berth rollback web --to 3 --wait",
    },
    customSynopsis = {
      "berth rollback SERVICE [--to GENERATION] [--expected-generation N] [--wait]",
      "               [-o json|yaml|name] [CONNECTION]"
    },
    header = "Declare an earlier spec of a service again.",
    description = {
      "Declares the spec SERVICE had at GENERATION (see berth history) again, as a new generation, keeping whether it is declared running or stopped. Without --to, the spec before the one declared now.",
      "The service keeps its source: a service declared from files goes back to its files' spec when they are applied again (berth apply -f), so fix the files too."
    })
final class RollbackCommand extends ClientCommand {

  /** Recorded in the history as who rolled back. */
  static final String SOURCE = "cli";

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Option(
      names = "--to",
      paramLabel = "GENERATION",
      description =
          "The generation whose spec to declare again, one berth history lists; default: the"
              + " one before the newest.")
  Long to;

  @Option(
      names = "--expected-generation",
      paramLabel = "N",
      description =
          "Roll back only if SERVICE is at generation N (as berth status or history showed it);"
              + " otherwise nothing changes (exit 5).")
  Long expectedGeneration;

  @Option(
      names = "--wait",
      description =
          "Then wait until the service runs the spec rolled back to, as apply --wait does."
              + " --timeout bounds the whole wait (default 5m).")
  boolean await;

  /** -o json or yaml: the agent's RollbackResponse; --wait's progress then goes to stderr. */
  @Mixin OutputOptions output;

  private OutputFormat format;

  @Override
  int prepare() {
    format = output.format(ApplyCommand.ANSWERS);
    if (to != null && to < 1) {
      throw new ParameterException(spec.commandLine(), "--to must be 1 or more, was " + to);
    }
    if (expectedGeneration != null && expectedGeneration < 1) {
      throw new ParameterException(
          spec.commandLine(), "--expected-generation must be 1 or more, was " + expectedGeneration);
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) throws InterruptedException {
    AgentProto.RollbackRequest.Builder request =
        AgentProto.RollbackRequest.newBuilder().setService(service).setSource(SOURCE);
    if (to != null) {
      request.setToGeneration(to);
    }
    if (expectedGeneration != null) {
      request.setExpectedGeneration(expectedGeneration);
    }
    AgentProto.RollbackResponse response = agent.call().rollback(request.build());
    AgentProto.ServiceChange change = response.getChange();
    if (format.isDocument()) {
      out().println(format.document(response));
    } else if (format == OutputFormat.NAME) {
      out().println("service/" + change.getService());
    } else {
      out().println(line(response));
      for (AgentProto.FieldChange field : change.getDiffList()) {
        out().println("  " + Formats.change(field));
      }
    }
    out().flush();
    if (!await) {
      return ExitCodes.OK;
    }
    Duration limit =
        client().timeoutGiven() == null ? ApplyCommand.DEFAULT_WAIT : client().timeoutGiven();
    return new ConvergenceWait(
            agent,
            environment().clock(),
            format == OutputFormat.TABLE ? out() : err(),
            err(),
            limit,
            ConvergenceWait.POLL_INTERVAL)
        .await(List.of(new ConvergenceWait.Target(service, change.getGeneration())));
  }

  /** {@code web rolled back to generation 1 (generation 3)}, or why nothing changed. */
  static String line(AgentProto.RollbackResponse response) {
    AgentProto.ServiceChange change = response.getChange();
    if (change.getKind() == AgentProto.ServiceChange.Kind.UNCHANGED) {
      return change.getService()
          + " unchanged: generation "
          + change.getGeneration()
          + " declares the spec of generation "
          + response.getRolledBackTo()
          + " already";
    }
    return change.getService()
        + " rolled back to generation "
        + response.getRolledBackTo()
        + " (generation "
        + change.getGeneration()
        + ")";
  }
}
