package dev.berth.spec.validation;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the validator knows of the agent setting {@code routes.default_domain}: the domain under
 * which an l7 route without a hostname is served, as {@code <service>.<domain>}.
 *
 * @param known whether the setting is known where validation runs: offline (the CLI's {@code
 *     validate}) it is not, and such a route is accepted with a note
 * @param name the domain, or null when it is not set (or not known)
 */
public record DefaultDomain(boolean known, String name) {

  /** The name of the agent setting, as its configuration file spells it. */
  public static final String SETTING = "routes.default_domain";

  /** Known to be unset: an l7 route without a hostname is refused. */
  public static final DefaultDomain NONE = new DefaultDomain(true, null);

  /** Not known here (offline): an l7 route without a hostname is accepted, with a note. */
  public static final DefaultDomain UNKNOWN = new DefaultDomain(false, null);

  /** Refuses a named domain that is not known. */
  public DefaultDomain {
    if (name != null && !known) {
      throw new IllegalArgumentException("a domain that is named is known");
    }
  }

  /** Known to be {@code name}, or known to be unset ({@link #NONE}) when {@code name} is null. */
  public static DefaultDomain of(String name) {
    return name == null ? NONE : new DefaultDomain(true, name);
  }

  /**
   * The hostname an l7 route of {@code service} without one is served at, or null when the domain
   * is not set; offline, a placeholder naming the setting, so that claims can still be compared.
   */
  public String hostnameFor(String service) {
    if (name != null) {
      return service + "." + name;
    }
    return known ? null : service + ".<" + SETTING + ">";
  }

  /** The hostname {@code route} of {@code service} is served at: its own, or the derived one. */
  public String hostnameOf(String service, RouteSpec route) {
    return route.servedAtDefaultDomain() ? hostnameFor(service) : route.hostname();
  }

  /**
   * The service as it is served: each l7 route without a hostname gets {@code <service>.<domain>}.
   * Unchanged when the domain is not set, so that the validator refuses such a route.
   */
  public ServiceSpec resolve(ServiceSpec service) {
    if (name == null) {
      return service;
    }
    List<ComponentSpec> components = new ArrayList<>();
    for (ComponentSpec component : service.components()) {
      List<RouteSpec> routes = new ArrayList<>();
      for (RouteSpec route : component.routes()) {
        routes.add(
            route.servedAtDefaultDomain()
                ? new RouteSpec(
                    route.name(), route.port(), route.mode(), hostnameFor(service.name()))
                : route);
      }
      components.add(routes.equals(component.routes()) ? component : component.withRoutes(routes));
    }
    return service.withComponents(components);
  }
}
