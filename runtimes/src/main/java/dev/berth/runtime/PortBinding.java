package dev.berth.runtime;

/**
 * A port a workload listens on, published on the host.
 *
 * @param name the route it serves, or null; processes get it as {@code PORT_<NAME>} ({@link
 *     dev.berth.spec.identity.PortVariables})
 * @param hostIp the host address to bind, or null for the runtime's default (127.0.0.1 for VMs)
 * @param hostPort the port on the host
 * @param containerPort the port inside the workload (for processes, the same as the host port)
 */
public record PortBinding(String name, String hostIp, int hostPort, int containerPort) {}
