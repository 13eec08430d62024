package dev.berth.kubernetes.plan;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The container port of each route of a component. A node allocates a host port per route; a pod
 * has its own network, so a cluster fixes them instead: the first route listens on {@link
 * OperatorConfig#firstRoutePort()}, the next ones on the ports after it, in declared order, and the
 * component learns them through the same {@code PORT_<NAME>} and {@code PORT} variables.
 */
final class RoutePorts {

  private RoutePorts() {}

  /** Each route's name and container port, in declared order. */
  static Map<String, Integer> of(ComponentSpec component, OperatorConfig config) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    int port = config.firstRoutePort();
    for (RouteSpec route : component.routes()) {
      ports.put(route.name(), port++);
    }
    return ports;
  }
}
