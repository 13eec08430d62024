package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;

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
final class DeleteCommand extends ServiceActionCommand {

  @Override
  String done() {
    return "deleted";
  }

  @Override
  void act(AgentConnection agent, AgentProto.ServiceRequest service) {
    agent.call().deleteService(service);
  }
}
