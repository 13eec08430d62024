package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth logs SERVICE [COMPONENT] [-f] [-n N]}. */
@Command(
    name = "logs",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth logs web",
      "  # The last 100 lines of component api, then new ones",
      "  berth logs web api -n 100 -f",
    },
    customSynopsis = "berth logs SERVICE [COMPONENT] [-f] [-n N] [CONNECTION]",
    header = "Print the output of a service's components.",
    description = {
      "Prints the output of a service's components: the last lines, then, with -f, new lines as they come, until Ctrl-C.",
      "Lines of a service with several components are prefixed with the component's name.",
    })
final class LogsCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "COMPONENT",
      description = "Only this component. Default: every component of the service.")
  String component;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until Ctrl-C.")
  boolean follow;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N",
      description = "Start with the last N lines; -1 for every line kept. Default: 100.")
  Integer tail;

  @Override
  int prepare() {
    // The API reads a tail of 0 as "the default": "no old lines" cannot be asked for.
    if (tail != null && (tail == 0 || tail < -1)) {
      throw new ParameterException(
          spec.commandLine(), "-n must be -1 (every line kept) or at least 1, was " + tail);
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    int prefixWidth = component == null ? prefixWidth(agent) : 0;
    AgentProto.LogsRequest request =
        AgentProto.LogsRequest.newBuilder()
            .setService(service)
            .setComponent(component == null ? "" : component)
            .setTail(tail == null ? 0 : tail)
            .setFollow(follow)
            .build();
    // Only a followed stream may run for ever; reading what is kept gets the usual deadline.
    AgentServiceBlockingStub stub = follow ? agent.stream() : agent.call();
    FollowedStream.read(
        environment().stopSignal(), () -> stub.logs(request), line -> print(line, prefixWidth));
    return ExitCodes.OK;
  }

  /**
   * How wide the component prefix is: 0 (none) for a service of one component, else the longest
   * name, so that the lines of all components start in one column. Asking also reports an unknown
   * service as such (exit 4) before any stream is opened.
   */
  private int prefixWidth(AgentConnection agent) {
    AgentProto.Service declared =
        agent.call().getService(AgentProto.GetServiceRequest.newBuilder().setName(service).build());
    if (declared.getSpec().getComponentsCount() < 2) {
      return 0;
    }
    return declared.getSpec().getComponentsList().stream()
        .map(AgentProto.ComponentSpec::getName)
        .mapToInt(String::length)
        .max()
        .orElse(0);
  }

  private void print(AgentProto.LogLine line, int prefixWidth) {
    if (prefixWidth == 0) {
      out().println(line.getLine());
    } else {
      String name = line.getComponent();
      out()
          .println(
              name + " ".repeat(Math.max(0, prefixWidth - name.length())) + " | " + line.getLine());
    }
    out().flush();
  }
}
