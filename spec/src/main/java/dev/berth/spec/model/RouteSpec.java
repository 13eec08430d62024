package dev.berth.spec.model;

/**
 * A way in to a component through the node's proxy.
 *
 * @param name identifies the route within its component; a stable host port is allocated per
 *     (service, component, route) and given to the component as {@code PORT_<NAME>}
 * @param port the listener port on the node's proxy (443 for most HTTPS routes)
 * @param mode TLS passthrough ({@code l4}) or termination ({@code l7})
 * @param hostname the name clients ask for (SNI and Host); what the certificate is for
 */
public record RouteSpec(String name, int port, RouteMode mode, String hostname) {

  /**
   * An l7 route without a hostname, which the predecessor's files allow: it is served at {@code
   * <service>.<routes.default_domain>}.
   */
  public boolean servedAtDefaultDomain() {
    return hostname == null && mode == RouteMode.L7;
  }
}
