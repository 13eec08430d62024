package dev.berth.store.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The registry's most read rows in memory, equal to what the database committed: the declared
 * services and the port allocations. A reconciler's resync of ten thousand services then costs map
 * lookups, not ten thousand transactions.
 *
 * <p>Invariants, and the locks that keep them:
 *
 * <ul>
 *   <li>Only committed rows are published, after their commit and before the write that committed
 *       them returns. A dry run or a rolled-back transaction publishes nothing.
 *   <li>Writes of declared services run one at a time, from before their transaction to after their
 *       publication ({@link #writeDeclared}). Two writers therefore cannot publish in another order
 *       than they committed in, which would leave the cache older than the database.
 *   <li>A service cannot disappear while a writer of its observed state (status, conditions,
 *       events, ports) is inside its transaction: writes that may remove services hold the write
 *       side of {@code existence}, those writers its read side ({@link #writeObserved}). So a
 *       writer that found the service here is sure its rows satisfy their foreign key until it
 *       commits, and observed-state writers never wait for each other.
 *   <li>A list sees each publication whole: publications hold the write side of {@code publication}
 *       for their few map updates, lists its read side. Single lookups take no lock.
 * </ul>
 */
final class RegistryCache {

  private final Map<String, StoredService> services = new ConcurrentSkipListMap<>();
  private final Map<PortKey, PortAllocation> portsByKey = new ConcurrentHashMap<>();
  private final Map<Integer, PortAllocation> portsByHostPort = new ConcurrentSkipListMap<>();

  private final ReentrantLock declaredWrites = new ReentrantLock();
  private final ReentrantReadWriteLock existence = new ReentrantReadWriteLock();
  private final ReentrantReadWriteLock publication = new ReentrantReadWriteLock();

  // ---- writing ----

  /**
   * Runs a write of declared services, which publishes what it committed before it returns.
   *
   * @param mayRemove whether it may remove services: then no observed-state writer runs meanwhile
   */
  <T> T writeDeclared(boolean mayRemove, Supplier<T> write) {
    declaredWrites.lock();
    try {
      return mayRemove ? holding(existence.writeLock(), write) : write.get();
    } finally {
      declaredWrites.unlock();
    }
  }

  /** Runs a write of observed state; the services it finds declared stay so until it returns. */
  <T> T writeObserved(Supplier<T> write) {
    return holding(existence.readLock(), write);
  }

  /** Publishes committed services: the changed ones as they are now, the removed ones gone. */
  void publishServices(Collection<StoredService> changed, Collection<String> removed) {
    if (!declaredWrites.isHeldByCurrentThread()) {
      throw new IllegalStateException("services are published only inside writeDeclared");
    }
    if (changed.isEmpty() && removed.isEmpty()) {
      return;
    }
    holding(
        publication.writeLock(),
        () -> {
          Set<String> gone = Set.copyOf(removed);
          services.keySet().removeAll(gone);
          // The database dropped their allocations by ON DELETE CASCADE; so does the cache, in one
          // pass over the allocations however many services went.
          portsByKey.values().removeIf(allocation -> gone.contains(allocation.key().service()));
          portsByHostPort
              .values()
              .removeIf(allocation -> gone.contains(allocation.key().service()));
          changed.forEach(service -> services.put(service.name(), service));
          return null;
        });
  }

  /** Publishes committed port allocations. */
  void publishPorts(Collection<PortAllocation> allocations) {
    holding(
        publication.writeLock(),
        () -> {
          for (PortAllocation allocation : allocations) {
            portsByKey.put(allocation.key(), allocation);
            // Both ports of a route are indexed, so that neither is given to another route.
            allocation.hostPorts().forEach(port -> portsByHostPort.put(port, allocation));
          }
          return null;
        });
  }

  // ---- reading ----

  Optional<StoredService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  boolean isDeclared(String name) {
    return services.containsKey(name);
  }

  /** Every declared service, by name. */
  List<StoredService> services() {
    return holding(publication.readLock(), () -> List.copyOf(services.values()));
  }

  /** Every declared service's name, in order. */
  List<String> names() {
    return holding(publication.readLock(), () -> List.copyOf(services.keySet()));
  }

  Optional<PortAllocation> port(PortKey key) {
    return Optional.ofNullable(portsByKey.get(key));
  }

  Optional<PortAllocation> portOwner(int hostPort) {
    return Optional.ofNullable(portsByHostPort.get(hostPort));
  }

  /** Every port allocation, by its first host port. */
  List<PortAllocation> ports() {
    return holding(
        publication.readLock(), () -> portsByHostPort.values().stream().distinct().toList());
  }

  private static <T> T holding(Lock lock, Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
