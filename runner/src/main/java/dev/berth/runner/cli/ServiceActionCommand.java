package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that does one thing to services chosen by name or by {@code -l SELECTOR} (stop, start,
 * restart, delete): the selection, its checks and its report are the same for each; only the call
 * and the word printed after each name differ.
 */
abstract class ServiceActionCommand extends ClientCommand {

  @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "The services, by name.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = ServiceSelection.SELECTOR_HELP)
  String selector;

  private ServiceSelection selection;

  /** What is printed after each service's name once the call succeeded: "stopped", ... */
  abstract String done();

  /** The call for one service; a failure is thrown as the gRPC client throws it. */
  abstract void act(AgentConnection agent, AgentProto.ServiceRequest service);

  @Override
  final int prepare() {
    selection = ServiceSelection.of(spec.commandLine(), services, selector);
    return ExitCodes.OK;
  }

  @Override
  final int run(AgentConnection agent) {
    return selection.forEach(
        agent,
        out(),
        err(),
        done(),
        name -> act(agent, AgentProto.ServiceRequest.newBuilder().setName(name).build()));
  }
}
