package dev.berth.runtime;

import java.util.Locale;

/**
 * A port a workload listens on, published on the host.
 *
 * @param name the route it serves, or null; processes get it as {@code PORT_<NAME>}
 * @param hostIp the host address to bind, or null for the runtime's default (127.0.0.1 for VMs)
 * @param hostPort the port on the host
 * @param containerPort the port inside the workload (for processes, the same as the host port)
 */
public record PortBinding(String name, String hostIp, int hostPort, int containerPort) {

  /**
   * The variable that tells a workload its port named {@code name}: {@code PORT_<NAME>}, upper
   * case, with {@code -} and {@code .} as {@code _}.
   */
  public static String variableFor(String name) {
    return "PORT_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }
}
