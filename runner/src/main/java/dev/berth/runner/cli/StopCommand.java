package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;

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
final class StopCommand extends ServiceActionCommand {

  @Override
  String done() {
    return "stopped";
  }

  @Override
  void act(AgentConnection agent, AgentProto.ServiceRequest service) {
    agent.call().stopService(service);
  }
}
