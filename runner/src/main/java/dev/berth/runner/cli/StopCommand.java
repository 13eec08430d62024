package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth stop SERVICE}. */
@Command(
    name = "stop",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth stop web",
      "  # On the agent of context rift",
      "  berth --context rift stop web",
    },
    customSynopsis = "berth stop SERVICE [CONNECTION]",
    header = "Declare a service stopped.",
    description =
        "Declares SERVICE stopped: its routes are withdrawn, then its workloads stop (they are kept, for start).")
final class StopCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Override
  int run(AgentConnection agent) {
    agent.call().stopService(AgentProto.ServiceRequest.newBuilder().setName(service).build());
    out().println(service + " stopped");
    return ExitCodes.OK;
  }
}
