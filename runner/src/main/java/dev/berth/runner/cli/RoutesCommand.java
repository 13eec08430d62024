package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth routes [-o FORMAT] [--no-headers]}. */
@Command(
    name = "routes",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth routes",
      "  berth routes -o wide --no-headers",
    },
    customSynopsis = "berth routes [-o json|yaml|wide|name] [--no-headers] [CONNECTION]",
    header = "Show the routes the node's proxy serves.",
    description = {
      "Shows every declared route: the hostname and port the node's proxy listens on, the component's host port behind it, and whether the proxy serves it: it took the route and its listeners answered when last looked at (every second); no while nginx is down, and no with the reason for a route held back (an L7 route waiting for its certificate, a stopped service).",
    })
final class RoutesCommand extends ClientCommand {

  @Mixin OutputOptions output;

  @Mixin NoHeadersOption headers;

  private OutputFormat format;

  @Override
  int prepare() {
    format = output.format(OutputOptions.LISTING);
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    AgentProto.ListRoutesResponse routes =
        agent.call().listRoutes(AgentProto.ListRoutesRequest.getDefaultInstance());
    if (format.isDocument()) {
      out().println(format.document(routes));
      return ExitCodes.OK;
    }
    if (format == OutputFormat.NAME) {
      routes.getRoutesList().forEach(route -> out().println(name(route)));
      return ExitCodes.OK;
    }
    boolean wide = format == OutputFormat.WIDE;
    if (routes.getRoutesCount() == 0) {
      out().println("no routes are declared");
      return ExitCodes.OK;
    }
    AlignedColumns table =
        AlignedColumns.withHeader(
            cells(
                wide,
                "SERVICE",
                "COMPONENT",
                "ROUTE",
                "MODE",
                "HOSTNAME",
                "LISTEN",
                "BACKEND",
                "SERVED",
                "REASON",
                "CERTIFICATE"));
    for (AgentProto.Route route : routes.getRoutesList()) {
      table.row(
          cells(
              wide,
              route.getService(),
              route.getComponent(),
              route.getRoute(),
              Formats.orDash(route.getMode()),
              Formats.orDash(route.getHostname()),
              route.getListenPort() == 0 ? "-" : Integer.toString(route.getListenPort()),
              Formats.orDash(route.getBackend()),
              route.getServed() ? "yes" : "no",
              Formats.orDash(route.getReason()),
              Formats.orDash(route.getCertificateFingerprint())));
    }
    headers.print(table, out());
    return ExitCodes.OK;
  }

  /** {@code route/web/app/https}: a route by its service, component and name. */
  static String name(AgentProto.Route route) {
    return "route/" + route.getService() + "/" + route.getComponent() + "/" + route.getRoute();
  }

  /** {@code cells}, the last one (the certificate's fingerprint) only in the wide table. */
  private static String[] cells(boolean wide, String... cells) {
    return wide ? cells : Arrays.copyOf(cells, cells.length - 1);
  }
}
