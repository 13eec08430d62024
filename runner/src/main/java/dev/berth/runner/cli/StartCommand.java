package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;

/** {@code berth start SERVICE...}, {@code berth start -l SELECTOR}. */
@Command(
    name = "start",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth start web",
      "  # On the agent of context rift",
      "  berth --context rift start web",
      "  # Every service labelled tier=web",
      "  berth start -l tier=web",
    },
    customSynopsis = "berth start (SERVICE... | -l SELECTOR) [CONNECTION]",
    header = "Declare a stopped service running again.",
    description = {
      "Declares SERVICE running again (after stop).",
      "With -l: every service whose labels match, each on its own line; exit 4 if none does."
    })
final class StartCommand extends ServiceActionCommand {

  @Override
  String done() {
    return "started";
  }

  @Override
  void act(AgentConnection agent, AgentProto.ServiceRequest service) {
    agent.call().startService(service);
  }
}
