package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth logs SERVICE [COMPONENT] [-f] [-n N] [--since WHEN] [--timestamps]}. */
@Command(
    name = "logs",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth logs web",
      "  # The last 100 lines of component api, then new ones",
      "  berth logs web api -n 100 -f",
      "  # The lines of the last 10 minutes, each after its time (podman's containers)",
      "  berth logs web --since 10m --timestamps",
    },
    customSynopsis =
        "berth logs SERVICE [COMPONENT] [-f] [-n N] [--since DURATION|TIME] [--timestamps]"
            + " [CONNECTION]",
    header = "Print the output of a service's components.",
    description = {
      "Prints the output of a service's components: the last lines, then, with -f, new lines as they come, until Ctrl-C.",
      "Lines of a service with several components are prefixed with the component's name.",
      "--since and --timestamps need a runtime that keeps when each line was written: podman does; the process and unikernel runtimes do not, and the agent refuses them for their workloads.",
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

  @Option(
      names = "--since",
      paramLabel = "DURATION|TIME",
      description =
          "Only lines written since then: a duration back from now (10m, 1h30m) or an RFC 3339"
              + " time (2024-05-01T12:00:00Z). -n counts among those.")
  String since;

  @Option(
      names = "--timestamps",
      description = "Start each line with the time it was written (RFC 3339, UTC).")
  boolean timestamps;

  private java.time.Instant sinceTime;

  @Override
  int prepare() {
    if (since != null) {
      sinceTime = since(since);
    }
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
    AgentProto.LogsRequest.Builder asked =
        AgentProto.LogsRequest.newBuilder()
            .setService(service)
            .setComponent(component == null ? "" : component)
            .setTail(tail == null ? 0 : tail)
            .setFollow(follow)
            .setTimestamps(timestamps);
    if (sinceTime != null) {
      asked.setSince(
          com.google.protobuf.Timestamp.newBuilder()
              .setSeconds(sinceTime.getEpochSecond())
              .setNanos(sinceTime.getNano()));
    }
    AgentProto.LogsRequest request = asked.build();
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

  /** An RFC 3339 time, or a duration back from now. */
  private java.time.Instant since(String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException notATime) {
      try {
        return environment().clock().instant().minus(Durations.parse(text));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--since must be a duration such as 10m or an RFC 3339 time such as"
                + " 2024-05-01T12:00:00Z, was \""
                + text
                + "\"");
      }
    }
  }

  private void print(AgentProto.LogLine line, int prefixWidth) {
    // The time first, as kubectl logs --timestamps writes it, so that lines sort by it.
    String time =
        timestamps && line.hasTime()
            ? java.time.Instant.ofEpochSecond(
                    line.getTime().getSeconds(), line.getTime().getNanos())
                + " "
            : "";
    if (prefixWidth == 0) {
      out().println(time + line.getLine());
    } else {
      String name = line.getComponent();
      out()
          .println(
              time
                  + name
                  + " ".repeat(Math.max(0, prefixWidth - name.length()))
                  + " | "
                  + line.getLine());
    }
    out().flush();
  }
}
