package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.reconcilers.describe.RouteDescription;
import java.util.List;

/** The routes of {@code ListRoutes}: the node's {@link RouteDescription}s on the wire. */
final class RouteViews {

  private RouteViews() {}

  static AgentProto.ListRoutesResponse toProto(List<RouteDescription> routes) {
    AgentProto.ListRoutesResponse.Builder out = AgentProto.ListRoutesResponse.newBuilder();
    for (RouteDescription route : routes) {
      out.addRoutes(toProto(route));
    }
    return out.build();
  }

  private static AgentProto.Route toProto(RouteDescription route) {
    AgentProto.Route.Builder out =
        AgentProto.Route.newBuilder()
            .setService(route.service())
            .setComponent(route.component())
            .setRoute(route.route())
            .setHostname(ServiceViews.orEmpty(route.hostname()))
            .setMode(route.mode() == null ? "" : route.mode().wire())
            .setListenPort(route.listenPort())
            .setServed(route.served());
    if (route.backend() != null) {
      out.setBackend(route.backend());
    }
    if (route.reason() != null) {
      out.setReason(route.reason());
    }
    if (route.certificateFingerprint() != null) {
      out.setCertificateFingerprint(route.certificateFingerprint());
    }
    return out.build();
  }
}
