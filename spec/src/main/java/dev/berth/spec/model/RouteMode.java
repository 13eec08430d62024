package dev.berth.spec.model;

/** How the node's proxy carries a route's traffic. */
public enum RouteMode {
  /** TLS passthrough chosen by SNI: the component terminates TLS itself. */
  L4("l4"),
  /** TLS terminated by the proxy with the service's certificate, proxied as HTTP. */
  L7("l7");

  private final String wire;

  RouteMode(String wire) {
    this.wire = wire;
  }

  /** Its spelling in files and on the wire. */
  public String wire() {
    return wire;
  }
}
