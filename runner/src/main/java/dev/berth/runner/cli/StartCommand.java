package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth start SERVICE}. */
@Command(
    name = "start",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth start web",
      "  # On the agent of context rift",
      "  berth --context rift start web",
    },
    customSynopsis = "berth start SERVICE [CONNECTION]",
    header = "Declare a stopped service running again.",
    description = "Declares SERVICE running again (after stop).")
final class StartCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Override
  int run(AgentConnection agent) {
    agent.call().startService(AgentProto.ServiceRequest.newBuilder().setName(service).build());
    out().println(service + " started");
    return ExitCodes.OK;
  }
}
