package dev.berth.store.registry;

import java.time.Instant;
import java.util.List;

/**
 * The host ports held for a route until its service is deleted.
 *
 * @param hostPort the first port: the one a route has from its first allocation
 * @param spareHostPort the second, which a workload replaced beside the old one uses while the old
 *     holds the first (and the other way round); 0 until the route first needs it
 */
public record PortAllocation(PortKey key, int hostPort, Instant allocatedAt, int spareHostPort) {

  /** An allocation without its spare host port yet. */
  public PortAllocation(PortKey key, int hostPort, Instant allocatedAt) {
    this(key, hostPort, allocatedAt, 0);
  }

  /** Whether the spare port is allocated too. */
  public boolean hasSpare() {
    return spareHostPort != 0;
  }

  /** The ports it holds: the first, then the spare if there is one. */
  public List<Integer> hostPorts() {
    return hasSpare() ? List.of(hostPort, spareHostPort) : List.of(hostPort);
  }

  /**
   * The port of a slot: 0 is the first port, 1 the spare.
   *
   * @return the port, or 0 if the slot is 1 and no spare is allocated yet
   */
  public int port(int slot) {
    if (slot != 0 && slot != 1) {
      throw new IllegalArgumentException("a route has slots 0 and 1, not " + slot);
    }
    return slot == 0 ? hostPort : spareHostPort;
  }
}
