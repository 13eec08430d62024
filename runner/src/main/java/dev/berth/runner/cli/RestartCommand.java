package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth restart SERVICE}. */
@Command(
    name = "restart",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth restart web",
      "  # On the agent of context rift",
      "  berth --context rift restart web",
    },
    customSynopsis = "berth restart SERVICE [CONNECTION]",
    header = "Restart the workloads of a service now.",
    description =
        "Stops and starts the workloads of SERVICE now, keeping them. A stopped service is refused.")
final class RestartCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Override
  int run(AgentConnection agent) {
    agent.call().restartService(AgentProto.ServiceRequest.newBuilder().setName(service).build());
    out().println(service + " restarted");
    return ExitCodes.OK;
  }
}
