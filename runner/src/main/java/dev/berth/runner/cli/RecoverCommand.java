package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;

/** {@code berth recover}. */
@Command(
    name = "recover",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth recover",
      "  berth recover --socket /run/berth/berth.sock",
    },
    customSynopsis = "berth recover [CONNECTION]",
    header = "Reconcile every service now.",
    description = {
      "Reconciles everything now: the agent lists the runtimes again and queues every service,",
      "and looks at nginx, restarting it at once if it is down.",
      "For after a runtime lost state behind Berth's back (a podman reset, a reboot), or once the port that kept nginx from restarting is free again.",
    })
final class RecoverCommand extends ClientCommand {

  @Override
  int run(AgentConnection agent) {
    AgentProto.RecoverResponse queued =
        agent.call().recover(AgentProto.RecoverRequest.getDefaultInstance());
    out()
        .println(
            "queued "
                + Formats.count(queued.getServices(), "service", "services")
                + " for reconciling");
    return ExitCodes.OK;
  }
}
