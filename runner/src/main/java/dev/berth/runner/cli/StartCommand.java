package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class StartCommand extends ClientCommand {

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
        "started",
        name ->
            agent
                .call()
                .startService(AgentProto.ServiceRequest.newBuilder().setName(name).build()));
  }
}
