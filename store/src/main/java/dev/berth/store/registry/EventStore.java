package dev.berth.store.registry;

import dev.berth.store.model.Wire;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded history of events per service: the newest {@code eventsPerService} are kept, so a
 * crash-looping service cannot fill the disk with its own story. The file may hold up to a quarter
 * more of a service's oldest events until its next trim: trimming on every event would cost a query
 * per service per batch.
 *
 * <p>Events of a service that is not declared (any more) are skipped, not refused: a reconciler may
 * report on a service deleted meanwhile, and that must not fail the rest of its batch.
 */
public final class EventStore {

  static final int MAX_MESSAGE = 2048;

  private final Database database;
  private final Clock clock;
  private final int limit;
  private final int slack;
  private final RegistryCache cache;

  /**
   * For the services counted since the registry opened, at least as many events as each has on
   * disk: every insert comes through here one batch at a time, and deletions only lower the truth.
   * Guarded by this, like {@code countedAfterLastPurge}.
   */
  private final Map<String, Integer> onDisk = new HashMap<>();

  private int countedAfterLastPurge;

  /** Told of every event once it is committed: watchers stream events as they happen. */
  private final List<Consumer<ServiceEvent>> subscribers = new CopyOnWriteArrayList<>();

  EventStore(Database database, Clock clock, int limit, RegistryCache cache) {
    this.database = database;
    this.clock = clock;
    this.limit = limit;
    this.slack = limit / 4;
    this.cache = cache;
  }

  /**
   * Records an event now, and drops the service's oldest beyond the limit.
   *
   * @return the event as recorded, or empty if the service is not declared (nothing written)
   */
  public Optional<ServiceEvent> record(
      String service, String component, ServiceEvent.Type type, String reason, String message) {
    return recordAll(List.of(new NewEvent(service, component, type, reason, message))).stream()
        .findFirst();
  }

  /**
   * Records events now, in their order, in one transaction; then drops each service's oldest beyond
   * the limit.
   *
   * @return the events as recorded, in the given order; those of services that are not declared are
   *     skipped
   */
  public List<ServiceEvent> recordAll(List<NewEvent> events) {
    List<ServiceEvent> recorded =
        cache.writeObserved(
            () -> {
              List<NewEvent> declared =
                  events.stream().filter(event -> cache.isDeclared(event.service())).toList();
              if (declared.isEmpty()) {
                return List.of();
              }
              synchronized (this) {
                Map<String, Integer> counted = new HashMap<>();
                List<ServiceEvent> inserted =
                    database.transaction(connection -> insert(connection, declared, counted));
                onDisk.putAll(counted); // only once committed
                forgetUndeclared();
                return inserted;
              }
            });
    // Outside the registry's locks: a slow subscriber must not hold up writers.
    recorded.forEach(this::publish);
    return recorded;
  }

  /**
   * Calls {@code subscriber} with every event recorded from now on, once it is committed, in the
   * order of recording, from the recording thread, until the returned handle is closed. A
   * subscriber must be quick (hand the event over to its own thread) and must not throw; what it
   * throws is swallowed so that recording never fails because of a watcher.
   */
  public AutoCloseable subscribe(Consumer<ServiceEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  private void publish(ServiceEvent event) {
    for (Consumer<ServiceEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        // The subscriber's own problem; the event is recorded all the same.
      }
    }
  }

  private List<ServiceEvent> insert(
      Connection connection, List<NewEvent> events, Map<String, Integer> counted)
      throws SQLException {
    Instant at = clock.instant();
    List<ServiceEvent> recorded = new ArrayList<>(events.size());
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO events (service, component, at, type, reason, message)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      for (NewEvent event : events) {
        Sql.bind(
            insert,
            event.service(),
            event.component(),
            at,
            event.type().wire(),
            event.reason(),
            truncate(event.message(), MAX_MESSAGE));
        insert.addBatch();
      }
      insert.executeBatch();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        for (NewEvent event : events) {
          if (!keys.next()) {
            throw new RegistryException(
                "the registry returned fewer event ids than events were recorded");
          }
          recorded.add(
              new ServiceEvent(
                  keys.getLong(1),
                  event.service(),
                  event.component(),
                  at,
                  event.type(),
                  event.reason(),
                  truncate(event.message(), MAX_MESSAGE)));
        }
      }
    }
    Map<String, Integer> added = new TreeMap<>();
    events.forEach(event -> added.merge(event.service(), 1, Integer::sum));
    for (var entry : added.entrySet()) {
      String service = entry.getKey();
      Integer known = onDisk.get(service);
      int count = known == null ? count(connection, service) : known + entry.getValue();
      if (count > limit + slack) {
        dropBeyondLimit(connection, service);
        count = limit;
      }
      counted.put(service, count);
    }
    return recorded;
  }

  private static int count(Connection connection, String service) throws SQLException {
    try (var statement =
            Sql.prepare(connection, "SELECT COUNT(*) FROM events WHERE service = ?", service);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** Drops the counts of deleted services, now and then: each purge at least halves the map. */
  private void forgetUndeclared() {
    if (onDisk.size() > 2 * Math.max(1024, countedAfterLastPurge)) {
      onDisk.keySet().removeIf(service -> !cache.isDeclared(service));
      countedAfterLastPurge = onDisk.size();
    }
  }

  /** How many events of the service the file holds, kept or not yet trimmed: for checks. */
  int storedCount(String service) {
    return database.transaction(connection -> count(connection, service));
  }

  /** Deletes the service's events older than its newest {@code limit}. */
  private void dropBeyondLimit(Connection connection, String service) throws SQLException {
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

  /** The service's newest {@code eventsPerService} events, oldest first. */
  public List<ServiceEvent> of(String service) {
    return query(
        "SELECT * FROM (SELECT * FROM events WHERE service = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        service,
        limit);
  }

  /** The newest {@code count} events of every service together, oldest first. */
  public List<ServiceEvent> recent(int count) {
    if (count <= 0) {
      return List.of();
    }
    return query(
        "SELECT * FROM (SELECT * FROM events ORDER BY id DESC LIMIT ?) ORDER BY id", count);
  }

  private List<ServiceEvent> query(String sql, Object... parameters) {
    return database.transaction(
        connection -> {
          List<ServiceEvent> events = new ArrayList<>();
          try (var statement = Sql.prepare(connection, sql, parameters);
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
