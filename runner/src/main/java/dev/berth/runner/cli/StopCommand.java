package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth stop SERVICE...}, {@code berth stop -l SELECTOR}. */
@Command(
    name = "stop",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth stop web",
      "  # On the agent of context rift",
      "  berth --context rift stop web",
      "  # Every service labelled tier=web",
      "  berth stop -l tier=web",
    },
    customSynopsis = "berth stop (SERVICE... | -l SELECTOR) [CONNECTION]",
    header = "Declare a service stopped.",
    description = {
      "Declares SERVICE stopped: its routes are withdrawn, then its workloads stop (they are kept, for start).",
      "With -l: every service whose labels match, each on its own line; exit 4 if none does."
    })
final class StopCommand extends ClientCommand {

  @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "The services, by name.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = ServiceSelection.SELECTOR_HELP)
  String selector;

  private ServiceSelection selection;

  @Override
  int prepare() {
    selection = ServiceSelection.of(spec.commandLine(), services, selector);
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    return selection.forEach(
        agent,
        out(),
        err(),
        "stopped",
        name ->
            agent.call().stopService(AgentProto.ServiceRequest.newBuilder().setName(name).build()));
  }
}
