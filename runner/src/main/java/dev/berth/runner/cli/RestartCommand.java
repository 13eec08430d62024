package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class RestartCommand extends ClientCommand {

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
        "restarted",
        name ->
            agent
                .call()
                .restartService(AgentProto.ServiceRequest.newBuilder().setName(name).build()));
  }
}
