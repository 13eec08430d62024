package dev.berth.store.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stable host ports: one per (service, component, route), kept across replaces, restarts and agent
 * restarts, released only when the service is deleted. Choosing a free port is the reconcilers'
 * job; this remembers the choice and refuses a port that has an owner.
 */
public final class PortStore {

  private final Database database;
  private final Clock clock;

  PortStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  public Optional<PortAllocation> get(PortKey key) {
    return database.transaction(connection -> heldBy(connection, key));
  }

  /** Every allocation, by port. */
  public List<PortAllocation> list() {
    return database.transaction(connection -> read(connection, ""));
  }

  /**
   * Gives {@code hostPort} to {@code key}. The key's service must be declared.
   *
   * @return the allocation the key holds afterwards: the new one, or the one it already had
   * @throws ConflictException if another key holds that port
   * @throws NotFoundException if the service is not declared
   */
  public PortAllocation allocate(PortKey key, int hostPort) {
    return database.transaction(
        connection -> {
          Optional<PortAllocation> held = heldBy(connection, key);
          if (held.isPresent()) {
            return held.get();
          }
          if (!exists(connection, key.service())) {
            throw new NotFoundException("no service named " + key.service());
          }
          List<PortAllocation> owner = read(connection, "WHERE host_port = ?", hostPort);
          if (!owner.isEmpty()) {
            throw new ConflictException(
                "host port " + hostPort + " is allocated to " + describe(owner.get(0).key()));
          }
          var now = clock.instant();
          Sql.update(
              connection,
              "INSERT INTO port_allocations (service, component, route, host_port, allocated_at)"
                  + " VALUES (?, ?, ?, ?, ?)",
              key.service(),
              key.component(),
              key.route(),
              hostPort,
              now);
          return new PortAllocation(key, hostPort, now);
        });
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

  private static boolean exists(java.sql.Connection connection, String service)
      throws SQLException {
    try (var statement = Sql.prepare(connection, "SELECT 1 FROM services WHERE name = ?", service);
        ResultSet rows = statement.executeQuery()) {
      return rows.next();
    }
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
                "SELECT service, component, route, host_port, allocated_at FROM port_allocations "
                    + where
                    + " ORDER BY host_port",
                parameters);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        allocations.add(
            new PortAllocation(
                new PortKey(rows.getString(1), rows.getString(2), rows.getString(3)),
                rows.getInt(4),
                Sql.instant(rows, "allocated_at")));
      }
    }
    return allocations;
  }
}
