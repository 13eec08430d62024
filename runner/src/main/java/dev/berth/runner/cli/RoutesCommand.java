package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth routes [--json]}. */
@Command(
    name = "routes",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth routes",
      "  berth routes --json",
    },
    customSynopsis = "berth routes [--json] [CONNECTION]",
    header = "Show the routes the node's proxy serves.",
    description = {
      "Shows every declared route: the hostname and port the node's proxy listens on, the component's host port behind it, and whether the proxy serves it: it took the route and its listeners answered when last looked at (every second); no while nginx is down, and no with the reason for a route held back (an L7 route waiting for its certificate, a stopped service).",
    })
final class RoutesCommand extends ClientCommand {

  @Option(names = "--json", description = "Print the agent's ListRoutesResponse as JSON.")
  boolean json;

  @Override
  int run(AgentConnection agent) {
    AgentProto.ListRoutesResponse routes =
        agent.call().listRoutes(AgentProto.ListRoutesRequest.getDefaultInstance());
    if (json) {
      out().println(Json.document(routes));
      return ExitCodes.OK;
    }
    if (routes.getRoutesCount() == 0) {
      out().println("no routes are declared");
      return ExitCodes.OK;
    }
    AlignedColumns table =
        AlignedColumns.withHeader(
            "SERVICE",
            "COMPONENT",
            "ROUTE",
            "MODE",
            "HOSTNAME",
            "LISTEN",
            "BACKEND",
            "SERVED",
            "REASON");
    for (AgentProto.Route route : routes.getRoutesList()) {
      table.row(
          route.getService(),
          route.getComponent(),
          route.getRoute(),
          Formats.orDash(route.getMode()),
          Formats.orDash(route.getHostname()),
          route.getListenPort() == 0 ? "-" : Integer.toString(route.getListenPort()),
          Formats.orDash(route.getBackend()),
          route.getServed() ? "yes" : "no",
          Formats.orDash(route.getReason()));
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
