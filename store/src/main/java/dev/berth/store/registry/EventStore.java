package dev.berth.store.registry;

import dev.berth.store.model.Wire;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded history of events per service: the newest {@code eventsPerService} are kept, so a
 * crash-looping service cannot fill the disk with its own story.
 */
public final class EventStore {

  private final Database database;
  private final Clock clock;
  private final int limit;

  EventStore(Database database, Clock clock, int limit) {
    this.database = database;
    this.clock = clock;
    this.limit = limit;
  }

  /** Records an event now, and drops the service's oldest beyond the limit. */
  public ServiceEvent record(
      String service, String component, ServiceEvent.Type type, String reason, String message) {
    return database.transaction(
        connection -> {
          StatusStore.requireService(connection, service);
          var at = clock.instant();
          long id;
          try (var statement =
              connection.prepareStatement(
                  "INSERT INTO events (service, component, at, type, reason, message)"
                      + " VALUES (?, ?, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, service);
            statement.setString(2, component);
            statement.setObject(3, Sql.timestamp(at));
            statement.setString(4, type.wire());
            statement.setString(5, reason);
            statement.setString(6, truncate(message, 2048));
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          }
          dropBeyondLimit(connection, service);
          return new ServiceEvent(id, service, component, at, type, reason, message);
        });
  }

  /** Deletes the service's events older than its newest {@code limit}. */
  private void dropBeyondLimit(java.sql.Connection connection, String service)
      throws java.sql.SQLException {
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT id FROM events WHERE service = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
                service,
                limit);
        ResultSet rows = statement.executeQuery()) {
      if (rows.next()) {
        Sql.update(
            connection,
            "DELETE FROM events WHERE service = ? AND id <= ?",
            service,
            rows.getLong(1));
      }
    }
  }

  /** The service's kept events, oldest first. */
  public List<ServiceEvent> of(String service) {
    return database.transaction(
        connection -> {
          List<ServiceEvent> events = new ArrayList<>();
          try (var statement =
                  Sql.prepare(
                      connection, "SELECT * FROM events WHERE service = ? ORDER BY id", service);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              String type = rows.getString("type");
              events.add(
                  new ServiceEvent(
                      rows.getLong("id"),
                      rows.getString("service"),
                      rows.getString("component"),
                      Sql.instant(rows, "at"),
                      Wire.parse(ServiceEvent.Type.class, ServiceEvent.Type::wire, type)
                          .orElseThrow(
                              () -> new RegistryException("stored event type is unknown: " + type)),
                      rows.getString("reason"),
                      rows.getString("message")));
            }
          }
          return events;
        });
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
