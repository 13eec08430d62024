package dev.berth.reconcilers.describe;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteTable;
import dev.berth.reconcilers.service.CertificateState;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.store.registry.PortAllocation;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.StoredService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every declared route, whether the proxy serves it, and why not when it does not. The routes the
 * service loop published are what the proxy was given; a declared route missing from them was held
 * back (an L7 route without its certificate, a stopped service), and is described all the same, so
 * that an operator sees it blocked rather than not at all.
 */
public final class RouteDescriptions {

  static final String CERTIFICATE = "waiting for its certificate: ";
  static final String STOPPED = "the service is stopped";
  static final String NOT_PUBLISHED =
      "not handed to the proxy yet: the service is being reconciled";
  static final String NOT_SERVED = "the proxy does not serve it now";
  static final String NO_PROXY =
      "no proxy on this node: routes are served with routes.enabled = true in the agent's config";

  private final Registry registry;
  private final RouteTable table;
  private final Function<String, CertificateState> certificates;
  private final boolean hasProxy;

  /**
   * @param table the routes the service loop published, and those the proxy serves
   * @param certificates the state of the certificate for a hostname
   * @param hasProxy whether a proxy serves routes on this node at all
   */
  public RouteDescriptions(
      Registry registry,
      RouteTable table,
      Function<String, CertificateState> certificates,
      boolean hasProxy) {
    this.registry = registry;
    this.table = table;
    this.certificates = certificates;
    this.hasProxy = hasProxy;
  }

  /** Every declared route, by service, component and route name. */
  public List<RouteDescription> describeAll() {
    Map<PortKey, RouteBinding> published = new HashMap<>();
    for (RouteBinding route : table.allPublished()) {
      published.put(new PortKey(route.service(), route.component(), route.route()), route);
    }
    List<RouteDescription> routes = new ArrayList<>();
    for (RouteBinding route : published.values()) {
      routes.add(published(route));
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
        Comparator.comparing(RouteDescription::service)
            .thenComparing(RouteDescription::component)
            .thenComparing(RouteDescription::route));
    return routes;
  }

  private RouteDescription published(RouteBinding route) {
    Set<RouteBinding> served = table.served(route.service());
    boolean isServed = served.contains(route);
    return new RouteDescription(
        route.service(),
        route.component(),
        route.route(),
        route.mode(),
        route.hostname(),
        route.listenerPort(),
        backend(route.backendPort()),
        isServed,
        isServed ? null : hasProxy ? NOT_SERVED : NO_PROXY,
        route.certificate() == null ? null : route.certificate().fingerprint());
  }

  /** A declared route the service loop did not hand to the proxy, and why. */
  private RouteDescription heldBack(StoredService stored, PortKey key, RouteSpec route) {
    return new RouteDescription(
        key.service(),
        key.component(),
        key.route(),
        route.mode(),
        route.hostname(),
        route.port(),
        registry.ports().get(key).map(PortAllocation::hostPort).map(this::backend).orElse(null),
        false,
        reason(stored, route),
        null);
  }

  private String reason(StoredService stored, RouteSpec route) {
    if (stored.spec().desiredState() == DesiredState.STOPPED) {
      return STOPPED;
    }
    if (route.mode() == RouteMode.L7 && route.hostname() != null) {
      CertificateState certificate = certificates.apply(route.hostname());
      if (!certificate.ready()) {
        return CERTIFICATE + certificate.reason();
      }
    }
    return NOT_PUBLISHED;
  }

  private String backend(int hostPort) {
    return WorkloadSpecs.ROUTE_HOST_IP + ":" + hostPort;
  }
}
