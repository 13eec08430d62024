package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth events [SERVICE] [-l SELECTOR] [--type T] [--reason R] [--component C] [-f] [-n N]
 * [-o json|yaml]}.
 */
@Command(
    name = "events",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth events",
      "  # The last 50 events of web, then new ones",
      "  berth events web -n 50 -f",
      "  # Warnings of the services labelled tier=web",
      "  berth events -l tier=web --type Warning",
    },
    customSynopsis =
        "berth events [SERVICE] [-l SELECTOR] [--type TYPE] [--reason REASON]... [--component"
            + " COMPONENT] [-f] [-n N] [-o json|yaml] [CONNECTION]",
    header = "Print recent events, and follow new ones.",
    description = {
      "Prints the recent events of every service, or of SERVICE, oldest first; with -f, then new events as they are recorded, until Ctrl-C.",
      "An event that happened again is one line, with when it last did and (xN over T): how many times, from the first to the last.",
      "The filters (-l, --type, --reason, --component) are applied by the agent, to the recent events (-n counts those that match) and to new ones; all that are given must hold.",
    })
final class EventsCommand extends ClientCommand {

  static final int DEFAULT_HISTORY = 20;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SERVICE",
      description = "Only this service's events.")
  String service;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new events until Ctrl-C.")
  boolean follow;

  @Option(
      names = {"-n", "--history"},
      paramLabel = "N",
      description = "Start with the last N recorded events; 0 for none. Default: 20.")
  int history = DEFAULT_HISTORY;

  @Mixin OutputOptions output;

  private OutputFormat format;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description =
          "Only events of services whose labels match SELECTOR now (kubectl's syntax: tier=web,"
              + " env!=prod, tier, !legacy, env in (a,b)).")
  String selector;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "Only events of this type: Normal or Warning.")
  String type;

  @Option(
      names = "--reason",
      paramLabel = "REASON",
      split = ",",
      description =
          "Only events with this reason (as the REASON column shows it); repeat it or separate"
              + " reasons by commas for any of several.")
  List<String> reasons = new ArrayList<>();

  @Option(
      names = "--component",
      paramLabel = "COMPONENT",
      description = "Only events of this component (not the service's own).")
  String component;

  @Override
  int prepare() {
    // Events are lines, not a table: -o json is one Event per line, -o yaml one document each.
    format = output.format(OutputOptions.DOCUMENT);
    if (selector != null) {
      ServiceSelection.parse(spec.commandLine(), selector);
    }
    if (type != null && !type.equals("Normal") && !type.equals("Warning")) {
      throw new ParameterException(
          spec.commandLine(), "--type must be Normal or Warning, was " + type);
    }
    if (history < 0) {
      throw new ParameterException(spec.commandLine(), "-n must be 0 or more, was " + history);
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    AgentProto.WatchRequest request =
        AgentProto.WatchRequest.newBuilder()
            .setService(service == null ? "" : service)
            .setHistory(history)
            .setFollow(follow)
            .setLabelSelector(selector == null ? "" : selector)
            .setType(type == null ? "" : type)
            .addAllReasons(reasons)
            .setComponent(component == null ? "" : component)
            .build();
    AgentServiceBlockingStub stub = follow ? agent.stream() : agent.call();
    AtomicInteger printed = new AtomicInteger();
    FollowedStream.read(
        environment().stopSignal(),
        () -> stub.watch(request),
        event -> {
          print(event);
          printed.incrementAndGet();
        });
    if (printed.get() == 0 && !follow && format == OutputFormat.TABLE) {
      boolean filtered =
          selector != null || type != null || !reasons.isEmpty() || component != null;
      out()
          .println(
              (filtered ? "no events match" : "no events recorded")
                  + (service == null ? "" : " for " + service));
    }
    return ExitCodes.OK;
  }

  private void print(AgentProto.Event event) {
    out()
        .println(
            format == OutputFormat.JSON
                ? Json.line(event)
                : format == OutputFormat.YAML ? Yaml.document(event) : Formats.event(event));
    out().flush();
  }
}
