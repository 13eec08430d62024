package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;

/** {@code berth restart SERVICE...}, {@code berth restart -l SELECTOR}. */
@Command(
    name = "restart",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth restart web",
      "  # On the agent of context rift",
      "  berth --context rift restart web",
      "  # Every service labelled tier=web",
      "  berth restart -l tier=web",
    },
    customSynopsis = "berth restart (SERVICE... | -l SELECTOR) [CONNECTION]",
    header = "Restart the workloads of a service now.",
    description = {
      "Stops and starts the workloads of SERVICE now, keeping them. A stopped service is refused.",
      "With -l: every service whose labels match, each on its own line; exit 4 if none does."
    })
final class RestartCommand extends ServiceActionCommand {

  @Override
  String done() {
    return "restarted";
  }

  @Override
  void act(AgentConnection agent, AgentProto.ServiceRequest service) {
    agent.call().restartService(service);
  }
}
