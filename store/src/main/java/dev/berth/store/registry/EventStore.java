package dev.berth.store.registry;

import dev.berth.spec.model.Wire;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A bounded history of events per service: the newest {@code eventsPerService} are kept, so a
 * crash-looping service cannot fill the disk with its own story. The file may hold up to a quarter
 * more of a service's oldest events until its next trim: trimming on every event would cost a query
 * per service per batch.
 *
 * <p>An event recorded again (same service, component, type, reason and message) is not a new row:
 * the event recorded before counts one more and moves to the end of its service's history, as
 * Kubernetes' event series. So a failure retried all day is one event "x200 over 8h", and does not
 * push the rest of the history out. Which events can be repeated is remembered in memory, for the
 * {@value #SERIES_REMEMBERED} most recently recorded: after a restart, or for an event not seen for
 * a long while, a repetition starts a new series.
 *
 * <p>Events of a service that is not declared (any more) are skipped, not refused: a reconciler may
 * report on a service deleted meanwhile, and that must not fail the rest of its batch.
 */
public final class EventStore {

  static final int MAX_MESSAGE = 2048;

  /** As many series as Kubernetes' event correlator remembers. */
  static final int SERIES_REMEMBERED = 4096;

  /** Services whose events one query counts: bounds the statement, not the batch. */
  private static final int COUNT_CHUNK = 1000;

  private final Database database;
  private final Clock clock;
  private final int limit;
  private final int slack;
  private final RegistryCache cache;

  /**
   * For the services counted since the registry opened, at least as many events as each has on
   * disk: every insert comes through here one batch at a time, and deletions only lower the truth.
   * Guarded by this, like {@code countedAfterLastPurge}, {@code series} and {@code lastSeq}.
   */
  private final Map<String, Integer> onDisk = new HashMap<>();

  private int countedAfterLastPurge;

  /**
   * The last recording of the most recently recorded series, to be bumped when they happen again;
   * an entry whose row was trimmed or deleted since is found out when its update changes no row.
   */
  private final Map<SeriesKey, ServiceEvent> series =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SeriesKey, ServiceEvent> eldest) {
          return size() > SERIES_REMEMBERED;
        }
      };

  /** The highest seq on disk; read from the file at the first recording. */
  private long lastSeq = -1;

  /** Told of every event once it is committed: watchers stream events as they happen. */
  private final Subscribers<ServiceEvent> subscribers = new Subscribers<>();

  /** What makes two events one series. */
  private record SeriesKey(
      String service, String component, ServiceEvent.Type type, String reason, String message) {

    static SeriesKey of(NewEvent event) {
      return new SeriesKey(
          event.service(),
          event.component(),
          event.type(),
          event.reason(),
          truncate(event.message(), MAX_MESSAGE));
    }

    static SeriesKey of(ServiceEvent event) {
      return new SeriesKey(
          event.service(), event.component(), event.type(), event.reason(), event.message());
    }
  }

  /** What one transaction recorded, applied to the in-memory state only once it committed. */
  private record Written(List<ServiceEvent> recorded, Map<String, Integer> counted, long lastSeq) {}

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
   * @return the event as recorded (a repetition: the series it belongs to, counted), or empty if
   *     the service is not declared (nothing written)
   */
  public Optional<ServiceEvent> record(
      String service, String component, ServiceEvent.Type type, String reason, String message) {
    return recordAll(List.of(new NewEvent(service, component, type, reason, message))).stream()
        .findFirst();
  }

  /**
   * Records events now, in one transaction; then drops each service's oldest beyond the limit.
   * Repetitions, within the batch or of events recorded before, are counted in their series.
   *
   * @return the events as recorded, one per distinct event of the batch, in the order each last
   *     occurred in it; those of services that are not declared are skipped
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
                Written written = database.transaction(connection -> write(connection, declared));
                // Only once committed:
                onDisk.putAll(written.counted());
                lastSeq = written.lastSeq();
                written.recorded().forEach(event -> series.put(SeriesKey.of(event), event));
                forgetUndeclared();
                return written.recorded();
              }
            });
    // Outside the registry's locks: a slow subscriber must not hold up writers.
    recorded.forEach(subscribers::publish);
    return recorded;
  }

  /**
   * Calls {@code subscriber} with every event recorded from now on, once it is committed, in the
   * order of recording, from the recording thread, until the returned handle is closed. A
   * subscriber must be quick (hand the event over to its own thread) and must not throw; what it
   * throws is swallowed so that recording never fails because of a watcher.
   */
  public AutoCloseable subscribe(Consumer<ServiceEvent> subscriber) {
    return subscribers.add(subscriber);
  }

  /** Bumps the series that happened before and inserts the rest; then trims. Holds this. */
  private Written write(Connection connection, List<NewEvent> events) throws SQLException {
    // As the columns store it, so that what is published equals what is read back.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    long seq = lastSeq >= 0 ? lastSeq : highestSeq(connection);
    // Each distinct event once, with how often it occurred, in the order of its last occurrence.
    Map<SeriesKey, Integer> occurrences = new LinkedHashMap<>();
    for (NewEvent event : events) {
      SeriesKey key = SeriesKey.of(event);
      Integer before = occurrences.remove(key);
      occurrences.put(key, before == null ? 1 : before + 1);
    }
    List<ServiceEvent> recorded = new ArrayList<>(occurrences.size());
    List<Integer> toInsert = new ArrayList<>();
    List<Integer> toBump = new ArrayList<>();
    for (var entry : occurrences.entrySet()) {
      SeriesKey key = entry.getKey();
      int times = entry.getValue();
      ServiceEvent known = series.get(key);
      seq++;
      if (known == null) {
        toInsert.add(recorded.size());
        recorded.add(event(0, key, now, times, now));
      } else {
        toBump.add(recorded.size());
        recorded.add(event(known.id(), key, known.at(), known.count() + times, now));
      }
    }
    long first = seq - recorded.size() + 1;
    // A series whose row is gone (trimmed, or its service deleted and declared again) starts anew.
    for (int index : bump(connection, recorded, toBump, first)) {
      SeriesKey key = SeriesKey.of(recorded.get(index));
      recorded.set(index, event(0, key, now, occurrences.get(key), now));
      toInsert.add(index);
    }
    toInsert.sort(null);
    insert(connection, recorded, toInsert, first);
    Map<String, Integer> added = new TreeMap<>();
    toInsert.forEach(index -> added.merge(recorded.get(index).service(), 1, Integer::sum));
    return new Written(recorded, trim(connection, added), seq);
  }

  private static ServiceEvent event(
      long id, SeriesKey key, Instant at, int count, Instant lastSeen) {
    return new ServiceEvent(
        id,
        key.service(),
        key.component(),
        at,
        key.type(),
        key.reason(),
        key.message(),
        count,
        lastSeen);
  }

  /**
   * Updates the rows of series that happened again.
   *
   * @return the indexes of those whose row is gone
   */
  private static List<Integer> bump(
      Connection connection, List<ServiceEvent> recorded, List<Integer> indexes, long firstSeq)
      throws SQLException {
    if (indexes.isEmpty()) {
      return List.of();
    }
    int[] updated;
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE events SET count = ?, last_at = ?, seq = ? WHERE id = ?")) {
      for (int index : indexes) {
        ServiceEvent event = recorded.get(index);
        Sql.bind(update, event.count(), event.lastSeen(), firstSeq + index, event.id());
        update.addBatch();
      }
      updated = update.executeBatch();
    }
    List<Integer> gone = new ArrayList<>();
    for (int i = 0; i < indexes.size(); i++) {
      if (updated[i] == 0) {
        gone.add(indexes.get(i));
      }
    }
    return gone;
  }

  /** Inserts new events and sets their ids in {@code recorded}. */
  private static void insert(
      Connection connection, List<ServiceEvent> recorded, List<Integer> indexes, long firstSeq)
      throws SQLException {
    if (indexes.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO events (service, component, at, type, reason, message, count, last_at,"
                + " seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      for (int index : indexes) {
        ServiceEvent event = recorded.get(index);
        Sql.bind(
            insert,
            event.service(),
            event.component(),
            event.at(),
            event.type().wire(),
            event.reason(),
            event.message(),
            event.count(),
            event.lastSeen(),
            firstSeq + index);
        insert.addBatch();
      }
      insert.executeBatch();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        for (int index : indexes) {
          if (!keys.next()) {
            throw new RegistryException(
                "the registry returned fewer event ids than events were recorded");
          }
          ServiceEvent event = recorded.get(index);
          recorded.set(
              index,
              new ServiceEvent(
                  keys.getLong(1),
                  event.service(),
                  event.component(),
                  event.at(),
                  event.type(),
                  event.reason(),
                  event.message(),
                  event.count(),
                  event.lastSeen()));
        }
      }
    }
  }

  /**
   * Drops the oldest events of services that hold more than the limit plus the slack.
   *
   * @param added how many rows each service gained in this transaction
   * @return how many events each of those services holds now, at most
   */
  private Map<String, Integer> trim(Connection connection, Map<String, Integer> added)
      throws SQLException {
    List<String> uncounted =
        added.keySet().stream().filter(service -> !onDisk.containsKey(service)).toList();
    Map<String, Integer> counted = count(connection, uncounted);
    for (var entry : added.entrySet()) {
      String service = entry.getKey();
      Integer known = onDisk.get(service);
      int count = known == null ? counted.getOrDefault(service, 0) : known + entry.getValue();
      if (count > limit + slack) {
        dropBeyondLimit(connection, service);
        count = limit;
      }
      counted.put(service, count);
    }
    return counted;
  }

  private static long highestSeq(Connection connection) throws SQLException {
    try (var statement = connection.prepareStatement("SELECT MAX(seq) FROM events");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1); // 0 for none
    }
  }

  private static int count(Connection connection, String service) throws SQLException {
    try (var statement =
            Sql.prepare(connection, "SELECT COUNT(*) FROM events WHERE service = ?", service);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** How many events each service holds; services without any are left out. */
  private static Map<String, Integer> count(Connection connection, List<String> services)
      throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    for (int from = 0; from < services.size(); from += COUNT_CHUNK) {
      Object[] chunk =
          services.subList(from, Math.min(services.size(), from + COUNT_CHUNK)).toArray();
      try (var statement =
              Sql.prepare(
                  connection,
                  "SELECT service, COUNT(*) FROM events WHERE service = ANY(?) GROUP BY service",
                  (Object) chunk);
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    return counts;
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
    return database.read(connection -> count(connection, service));
  }

  /** Deletes the service's events older than its newest {@code limit}. */
  private void dropBeyondLimit(Connection connection, String service) throws SQLException {
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT seq FROM events WHERE service = ? ORDER BY seq DESC LIMIT 1 OFFSET ?",
                service,
                limit);
        ResultSet rows = statement.executeQuery()) {
      if (rows.next()) {
        Sql.update(
            connection,
            "DELETE FROM events WHERE service = ? AND seq <= ?",
            service,
            rows.getLong(1));
      }
    }
  }

  /**
   * The service's newest {@code eventsPerService} events, oldest first: ordered by when each last
   * happened.
   */
  public List<ServiceEvent> of(String service) {
    return query(
        "SELECT * FROM (SELECT * FROM events WHERE service = ? ORDER BY seq DESC LIMIT ?)"
            + " ORDER BY seq",
        service,
        limit);
  }

  /**
   * The newest {@code count} events of every service together, oldest first: ordered by when each
   * last happened.
   */
  public List<ServiceEvent> recent(int count) {
    if (count <= 0) {
      return List.of();
    }
    return query(
        "SELECT * FROM (SELECT * FROM events ORDER BY seq DESC LIMIT ?) ORDER BY seq", count);
  }

  private List<ServiceEvent> query(String sql, Object... parameters) {
    return database.read(
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
                      rows.getString("message"),
                      rows.getInt("count"),
                      Sql.instant(rows, "last_at")));
            }
          }
          return events;
        });
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
