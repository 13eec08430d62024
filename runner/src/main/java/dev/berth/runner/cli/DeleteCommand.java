package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth delete SERVICE}. */
@Command(
    name = "delete",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth delete web",
      "  # On the agent of context rift",
      "  berth --context rift delete web",
    },
    customSynopsis = "berth delete SERVICE [CONNECTION]",
    header = "Remove a service and its workloads.",
    description =
        "Removes the declaration of SERVICE: its routes are withdrawn and its workloads removed.")
final class DeleteCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Override
  int run(AgentConnection agent) {
    agent.call().deleteService(AgentProto.ServiceRequest.newBuilder().setName(service).build());
    out().println(service + " deleted");
    return ExitCodes.OK;
  }
}
