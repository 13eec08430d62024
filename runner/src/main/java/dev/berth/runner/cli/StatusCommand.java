package dev.berth.runner.cli;

import dev.berth.proto.v1.GetServiceRequest;
import dev.berth.proto.v1.ListServicesRequest;
import dev.berth.proto.v1.ListServicesResponse;
import dev.berth.proto.v1.Service;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth status [SERVICE] [--json]}. */
@Command(
    name = "status",
    customSynopsis = "berth status [SERVICE] [--json] [CONNECTION]",
    header = "Show services and their components.",
    description = {
      "Shows the declared services and what runs of them: one row per component.",
      "With SERVICE: also its declaration, conditions and last events."
    })
final class StatusCommand extends ClientCommand {

  /** Enough history to see what just happened, short enough to fit a screen. */
  static final int EVENTS = 10;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "One service.")
  String service;

  @Option(
      names = "--json",
      description =
          "Print the agent's answer as JSON (a ListServicesResponse, or a Service with SERVICE).")
  boolean json;

  @Override
  int run(AgentConnection agent) {
    if (service == null) {
      ListServicesResponse all =
          agent.call().listServices(ListServicesRequest.getDefaultInstance());
      if (json) {
        out().println(Json.document(all));
      } else if (all.getServicesCount() == 0) {
        out().println("no services are declared");
      } else {
        StatusTable.of(all.getServicesList()).print(out());
      }
      return ExitCodes.OK;
    }
    Service one =
        agent
            .call()
            .getService(GetServiceRequest.newBuilder().setName(service).setEvents(EVENTS).build());
    if (json) {
      out().println(Json.document(one));
      return ExitCodes.OK;
    }
    StatusTable.of(List.of(one)).print(out());
    out().println();
    ServiceDetails.print(one, out());
    return ExitCodes.OK;
  }
}
