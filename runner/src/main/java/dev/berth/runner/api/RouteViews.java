package dev.berth.runner.api;

import dev.berth.proto.v1.ListRoutesResponse;
import dev.berth.proto.v1.Route;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.service.CertificateState;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.StoredService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes of {@code ListRoutes}: every declared route, whether the proxy serves it, and why not
 * when it does not. The routes the service loop published are what the proxy was given; a declared
 * route missing from them was held back (an L7 route without its certificate, a stopped service),
 * and is listed all the same, so that an operator sees it blocked rather than not at all.
 */
final class RouteViews {

  static final String CERTIFICATE = "waiting for its certificate: ";
  static final String STOPPED = "the service is stopped";
  static final String NOT_PUBLISHED =
      "not handed to the proxy yet: the service is being reconciled";
  static final String NOT_SERVED = "the proxy does not serve it now";
  static final String NO_PROXY =
      "no proxy on this node: routes are served with routes.enabled = true in the agent's config";

  private final Registry registry;
  private final BerthNode node;

  RouteViews(Registry registry, BerthNode node) {
    this.registry = registry;
    this.node = node;
  }

  ListRoutesResponse list() {
    Map<PortKey, RouteBinding> published = new HashMap<>();
    for (RouteBinding route : node.routes().allPublished()) {
      published.put(new PortKey(route.service(), route.component(), route.route()), route);
    }
    List<Route> routes = new ArrayList<>();
    for (RouteBinding route : published.values()) {
      routes.add(publishedRoute(route));
    }
    for (StoredService stored : registry.services().list()) {
      for (ComponentSpec component : stored.spec().components()) {
        for (RouteSpec route : component.routes()) {
          PortKey key = new PortKey(stored.name(), component.name(), route.name());
          if (!published.containsKey(key)) {
            routes.add(heldBack(stored, key, route));
          }
        }
      }
    }
    routes.sort(
        Comparator.comparing(Route::getService)
            .thenComparing(Route::getComponent)
            .thenComparing(Route::getRoute));
    return ListRoutesResponse.newBuilder().addAllRoutes(routes).build();
  }

  private Route publishedRoute(RouteBinding route) {
    Set<RouteBinding> served = node.routes().served(route.service());
    Route.Builder out =
        Route.newBuilder()
            .setService(route.service())
            .setComponent(route.component())
            .setRoute(route.route())
            .setHostname(ServiceViews.orEmpty(route.hostname()))
            .setMode(route.mode().wire())
            .setListenPort(route.listenerPort())
            .setBackend(backend(route.backendPort()))
            .setServed(served.contains(route));
    if (!out.getServed()) {
      out.setReason(node.hasProxy() ? NOT_SERVED : NO_PROXY);
    }
    if (route.certificate() != null) {
      out.setCertificateFingerprint(route.certificate().fingerprint());
    }
    return out.build();
  }

  /** A declared route the service loop did not hand to the proxy, and why. */
  private Route heldBack(StoredService stored, PortKey key, RouteSpec route) {
    Route.Builder out =
        Route.newBuilder()
            .setService(key.service())
            .setComponent(key.component())
            .setRoute(key.route())
            .setHostname(ServiceViews.orEmpty(route.hostname()))
            .setMode(route.mode() == null ? "" : route.mode().wire())
            .setListenPort(route.port())
            .setServed(false)
            .setReason(reason(stored, route));
    registry.ports().get(key).ifPresent(a -> out.setBackend(backend(a.hostPort())));
    return out.build();
  }

  private String reason(StoredService stored, RouteSpec route) {
    if (stored.spec().desiredState() == DesiredState.STOPPED) {
      return STOPPED;
    }
    if (route.mode() == RouteMode.L7 && route.hostname() != null) {
      CertificateState certificate = node.certificate(route.hostname());
      if (!certificate.ready()) {
        return CERTIFICATE + certificate.reason();
      }
    }
    return NOT_PUBLISHED;
  }

  private static String backend(int hostPort) {
    return WorkloadSpecs.ROUTE_HOST_IP + ":" + hostPort;
  }
}
