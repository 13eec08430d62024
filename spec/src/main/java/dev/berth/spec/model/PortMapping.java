package dev.berth.spec.model;

/**
 * An explicitly published port, besides the ports Berth allocates for routes.
 *
 * @param hostIp the host address to bind, or null for the runtime's default
 * @param hostPort the port on the host
 * @param containerPort the port inside the component
 */
public record PortMapping(String hostIp, int hostPort, int containerPort) {

  /** The {@code [ip:]host:container} spelling; an IPv6 address in brackets. */
  @Override
  public String toString() {
    String ip = hostIp == null ? "" : (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":";
    return ip + hostPort + ":" + containerPort;
  }
}
