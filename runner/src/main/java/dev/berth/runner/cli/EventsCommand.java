package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth events [SERVICE] [-f] [-n N] [-o json|yaml]}. */
@Command(
    name = "events",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth events",
      "  # The last 50 events of web, then new ones",
      "  berth events web -n 50 -f",
    },
    customSynopsis = "berth events [SERVICE] [-f] [-n N] [-o json|yaml] [CONNECTION]",
    header = "Print recent events, and follow new ones.",
    description = {
      "Prints the recent events of every service, or of SERVICE, oldest first; with -f, then new events as they are recorded, until Ctrl-C.",
      "An event that happened again is one line, with when it last did and (xN over T): how many times, from the first to the last.",
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

  @Override
  int prepare() {
    // Events are lines, not a table: -o json is one Event per line, -o yaml one document each.
    format = output.format(OutputOptions.DOCUMENT);
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
      out().println("no events recorded" + (service == null ? "" : " for " + service));
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
