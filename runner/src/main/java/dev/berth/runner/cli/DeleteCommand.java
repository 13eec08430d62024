package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth delete SERVICE...}, {@code berth delete -l SELECTOR}. */
@Command(
    name = "delete",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth delete web",
      "  # On the agent of context rift",
      "  berth --context rift delete web",
      "  # Every service labelled env=staging",
      "  berth delete -l env=staging",
    },
    customSynopsis = "berth delete (SERVICE... | -l SELECTOR) [CONNECTION]",
    header = "Remove a service and its workloads.",
    description = {
      "Removes the declaration of SERVICE: its routes are withdrawn and its workloads removed.",
      "With -l: every service whose labels match, each on its own line; exit 4 if none does."
    })
final class DeleteCommand extends ClientCommand {

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
        "deleted",
        name ->
            agent
                .call()
                .deleteService(AgentProto.ServiceRequest.newBuilder().setName(name).build()));
  }
}
