package dev.berth.reconcilers.probe;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import java.util.Map;

/** Where a component's declared health probe is aimed on the node. */
public final class HealthTargets {

  private HealthTargets() {}

  /**
   * The component's own health probe: at its route's host port when it names a route, else at the
   * host port its declared port is published on (or that port itself, for a process). Null if it
   * declares none.
   *
   * @param routePorts the host port of each of its routes
   */
  public static ProbeTarget of(ComponentSpec component, Map<String, Integer> routePorts) {
    HealthProbe health = component.health();
    if (health == null) {
      return null;
    }
    Integer port =
        health.route() != null && !health.route().isEmpty()
            ? routePorts.get(health.route())
            : Integer.valueOf(hostPortOf(component, health.port()));
    if (port == null) {
      return null;
    }
    return new ProbeTarget(health.type(), "127.0.0.1", port, pathOf(health.type(), health.path()));
  }

  /** The path to probe: as declared, else {@code /} for http and nothing for the others. */
  public static String pathOf(ProbeType type, String path) {
    if (path != null && !path.isEmpty()) {
      return path;
    }
    return type == ProbeType.HTTP ? "/" : "";
  }

  /** A container's declared port is probed where it is published; a process's is its own. */
  private static int hostPortOf(ComponentSpec component, int port) {
    for (PortMapping mapping : component.ports()) {
      if (mapping.containerPort() == port) {
        return mapping.hostPort();
      }
    }
    return port;
  }
}
