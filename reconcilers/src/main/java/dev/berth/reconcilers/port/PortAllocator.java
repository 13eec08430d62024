package dev.berth.reconcilers.port;

import dev.berth.store.registry.ConflictException;
import dev.berth.store.registry.PortAllocation;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.PortStore;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Gives each route stable host ports (a first one, and a spare for replacing beside): the one it
 * has, or a new one from the range that no other route holds and the operating system reports free.
 * The registry remembers the choice, so the port survives replaces, restarts and agent restarts; it
 * is released when the service is deleted.
 */
public final class PortAllocator {

  /** How many taken-in-the-meantime collisions to ride out before giving up. */
  static final int MAX_CONFLICTS = 16;

  private final PortStore store;
  private final PortRange range;
  private final IntPredicate osFree;

  /**
   * Allocates from {@code range}, remembering each choice in {@code store}; a port the OS reports
   * in use is skipped.
   */
  public PortAllocator(PortStore store, PortRange range) {
    this(store, range, PortProbe::free);
  }

  /**
   * @param osFree whether the operating system reports a port free (replaceable in tests)
   */
  public PortAllocator(PortStore store, PortRange range, IntPredicate osFree) {
    this.store = Objects.requireNonNull(store, "store");
    this.range = Objects.requireNonNull(range, "range");
    this.osFree = Objects.requireNonNull(osFree, "osFree");
  }

  /** The ports it allocates from. */
  public PortRange range() {
    return range;
  }

  /**
   * The key's port, allocating one if it has none.
   *
   * @throws PortExhaustedException if no port of the range is free
   * @throws dev.berth.store.registry.NotFoundException if the service is no longer declared
   */
  public int allocate(PortKey key) {
    var held = store.get(key);
    if (held.isPresent()) {
      return held.get().hostPort();
    }
    return allocate(key, port -> store.allocate(key, port).hostPort());
  }

  /**
   * The key's spare port (its second), allocating one if it has none; the key's first port is
   * allocated first if need be. A route's first port stays what it was, so that a route allocated
   * before spares existed keeps it, and its workload is not replaced.
   *
   * @throws PortExhaustedException if no port of the range is free
   * @throws dev.berth.store.registry.NotFoundException if the service is no longer declared
   */
  public int allocateSpare(PortKey key) {
    allocate(key);
    PortAllocation held = store.get(key).orElseThrow();
    if (held.hasSpare()) {
      return held.spareHostPort();
    }
    return allocate(key, port -> store.allocateSpare(key, port).spareHostPort());
  }

  /** Tries free ports of the range with {@code take} until one is taken. */
  private int allocate(PortKey key, java.util.function.IntUnaryOperator take) {
    Set<Integer> refused = new HashSet<>();
    for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      Set<Integer> allocated = new HashSet<>(refused);
      for (PortAllocation allocation : store.list()) {
        allocated.addAll(allocation.hostPorts());
      }
      int port = PortCandidates.next(key, range, allocated, osFree);
      if (port < 0) {
        throw new PortExhaustedException(
            "no free host port in " + range + " for route " + describe(key));
      }
      try {
        return take.applyAsInt(port);
      } catch (ConflictException e) {
        // Another worker took it between our look and our write: look again.
        refused.add(port);
      }
    }
    throw new PortExhaustedException(
        "could not allocate a host port for route "
            + describe(key)
            + " after "
            + MAX_CONFLICTS
            + " collisions");
  }

  private static String describe(PortKey key) {
    return key.service() + "/" + key.component() + "/" + key.route();
  }
}
