package dev.berth.spec.model;

/** How a component whose spec changed is replaced. */
public enum UpdateStrategy {
  /**
   * The new workload starts beside the old one, on the route's other host port; the proxy switches
   * to it once it is healthy, and the old one drains, then stops. Needs a route and no explicit
   * published ports (two workloads cannot bind one host port).
   */
  BESIDE("beside"),
  /** The old workload is removed, then the new one starts: a gap, but never two at once. */
  RECREATE("recreate");

  private final String wire;

  UpdateStrategy(String wire) {
    this.wire = wire;
  }

  /** Its spelling in files and on the wire. */
  public String wire() {
    return wire;
  }
}
