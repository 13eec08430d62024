package dev.berth.store.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stable host ports: one per (service, component, route), and a spare once the route needs it, kept
 * across replaces, restarts and agent restarts, released only when the service is deleted. Choosing
 * a free port is the reconcilers' job; this remembers the choice and refuses a port that has an
 * owner.
 *
 * <p>Reads are served from memory (loaded when the registry opens, updated after each commit); only
 * an allocation that is new writes to the database.
 */
public final class PortStore {

  private final Database database;
  private final Clock clock;
  private final RegistryCache cache;

  PortStore(Database database, Clock clock, RegistryCache cache) {
    this.database = database;
    this.clock = clock;
    this.cache = cache;
    cache.publishPorts(readAllFromDatabase());
  }

  /** The ports allocated to {@code key}, if any; read from memory. */
  public Optional<PortAllocation> get(PortKey key) {
    return cache.port(key);
  }

  /** Every allocation, by port. */
  public List<PortAllocation> list() {
    return cache.ports();
  }

  /**
   * Gives {@code hostPort} to {@code key}. The key's service must be declared.
   *
   * @return the allocation the key holds afterwards: the new one, or the one it already had
   * @throws ConflictException if another key holds that port
   * @throws NotFoundException if the service is not declared
   */
  public PortAllocation allocate(PortKey key, int hostPort) {
    // Allocations run one at a time, so what memory says is free stays free until the commit.
    return cache.writeObserved(
        () -> {
          synchronized (this) {
            Optional<PortAllocation> held = cache.port(key);
            if (held.isPresent()) {
              return held.get();
            }
            if (!cache.isDeclared(key.service())) {
              throw new NotFoundException("no service named " + key.service());
            }
            Optional<PortAllocation> owner = cache.portOwner(hostPort);
            if (owner.isPresent()) {
              throw new ConflictException(
                  "host port " + hostPort + " is allocated to " + describe(owner.get().key()));
            }
            // A stable port is declared state: it must outlive a power loss like the service.
            PortAllocation allocated =
                database.durableTransaction(
                    connection -> {
                      Sql.update(
                          connection,
                          "INSERT INTO port_allocations (service, component, route, host_port,"
                              + " allocated_at) VALUES (?, ?, ?, ?, ?)",
                          key.service(),
                          key.component(),
                          key.route(),
                          hostPort,
                          clock.instant());
                      // Read back as stored (the column's precision), so memory equals the file.
                      return heldBy(connection, key).orElseThrow();
                    });
            cache.publishPorts(List.of(allocated));
            return allocated;
          }
        });
  }

  /**
   * Gives {@code hostPort} to {@code key} as its spare port (the second of the two a route replaced
   * beside its old workload alternates between). The key must hold its first port already.
   *
   * @return the allocation the key holds afterwards: with the new spare, or the spare it had
   * @throws ConflictException if any route holds that port
   * @throws NotFoundException if the key holds no port (its service was deleted meanwhile)
   */
  public PortAllocation allocateSpare(PortKey key, int hostPort) {
    return cache.writeObserved(
        () -> {
          synchronized (this) {
            PortAllocation held =
                cache
                    .port(key)
                    .orElseThrow(
                        () -> new NotFoundException("no port allocated to " + describe(key)));
            if (held.hasSpare()) {
              return held;
            }
            Optional<PortAllocation> owner = cache.portOwner(hostPort);
            if (owner.isPresent()) {
              throw new ConflictException(
                  "host port " + hostPort + " is allocated to " + describe(owner.get().key()));
            }
            PortAllocation allocated =
                database.durableTransaction(
                    connection -> {
                      Sql.update(
                          connection,
                          "UPDATE port_allocations SET spare_host_port = ? WHERE service = ? AND"
                              + " component = ? AND route = ? AND spare_host_port IS NULL",
                          hostPort,
                          key.service(),
                          key.component(),
                          key.route());
                      return heldBy(connection, key)
                          .orElseThrow(
                              () -> new NotFoundException("no port allocated to " + describe(key)));
                    });
            cache.publishPorts(List.of(allocated));
            return allocated;
          }
        });
  }

  /** What the database holds, bypassing the copy in memory: for loading it, and for checks. */
  List<PortAllocation> readAllFromDatabase() {
    return database.read(connection -> read(connection, ""));
  }

  private static Optional<PortAllocation> heldBy(java.sql.Connection connection, PortKey key)
      throws SQLException {
    List<PortAllocation> found =
        read(
            connection,
            "WHERE service = ? AND component = ? AND route = ?",
            key.service(),
            key.component(),
            key.route());
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static String describe(PortKey key) {
    return "service " + key.service() + ", component " + key.component() + ", route " + key.route();
  }

  private static List<PortAllocation> read(
      java.sql.Connection connection, String where, Object... parameters) throws SQLException {
    List<PortAllocation> allocations = new ArrayList<>();
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT service, component, route, host_port, allocated_at, spare_host_port FROM"
                    + " port_allocations "
                    + where
                    + " ORDER BY host_port",
                parameters);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        allocations.add(
            new PortAllocation(
                new PortKey(rows.getString(1), rows.getString(2), rows.getString(3)),
                rows.getInt(4),
                Sql.instant(rows, "allocated_at"),
                rows.getInt(6)));
      }
    }
    return allocations;
  }
}
