package dev.berth.store.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workloads found on the node that are not this registry's (adopted as ignored: reported, never
 * touched), as the last relist of the runtimes saw them.
 *
 * <p>A relist every few seconds usually finds the same set. Then nothing is written: the database
 * is only written when a workload appeared, disappeared or changed (name, kind, image, state,
 * owner), and {@link IgnoredWorkload#lastSeen()} moves in memory only until then. Reads are served
 * from memory.
 */
public final class IgnoredWorkloadStore {

  private record Key(String runtime, String id) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::runtime).thenComparing(Key::id);

  private final Database database;
  private final Clock clock;
  private volatile List<IgnoredWorkload> current;

  IgnoredWorkloadStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.current = List.copyOf(index(database.read(IgnoredWorkloadStore::read)).values());
  }

  /** The ignored workloads, by runtime then id. */
  public List<IgnoredWorkload> list() {
    return current;
  }

  /**
   * Replaces the set with what a relist of every runtime found: workloads new to the set are added
   * (first seen now), known ones keep when they were first seen, and those no longer found are
   * dropped; all in one transaction, or none if nothing but the time changed. The timestamps of
   * {@code observed} are ignored.
   *
   * @return whether the stored set changed (and was written)
   * @throws IllegalArgumentException if a runtime's workload id appears twice
   */
  public synchronized boolean replaceAll(List<IgnoredWorkload> observed) {
    Map<Key, IgnoredWorkload> before = index(current);
    Map<Key, IgnoredWorkload> seen = index(observed);
    // The column's precision, so that what memory holds is what a reopened registry reads.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    boolean changed = !before.keySet().equals(seen.keySet());
    List<IgnoredWorkload> after = new ArrayList<>(seen.size());
    for (var entry : seen.entrySet()) {
      IgnoredWorkload known = before.get(entry.getKey());
      changed |= known == null || !known.looksLike(entry.getValue());
      after.add(entry.getValue().seen(known == null ? now : known.firstSeen(), now));
    }
    if (changed) {
      List<Key> gone = before.keySet().stream().filter(key -> !seen.containsKey(key)).toList();
      database.transaction(connection -> write(connection, gone, after));
    }
    current = List.copyOf(after);
    return changed;
  }

  private static Map<Key, IgnoredWorkload> index(List<IgnoredWorkload> workloads) {
    Map<Key, IgnoredWorkload> index = new TreeMap<>(ORDER);
    for (IgnoredWorkload workload : workloads) {
      if (index.put(new Key(workload.runtime(), workload.id()), workload) != null) {
        throw new IllegalArgumentException(
            "workload " + workload.id() + " of runtime " + workload.runtime() + " is listed twice");
      }
    }
    return index;
  }

  private static Void write(Connection connection, List<Key> gone, List<IgnoredWorkload> present)
      throws SQLException {
    try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM ignored_workloads WHERE runtime = ? AND workload_id = ?");
        PreparedStatement merge =
            connection.prepareStatement(
                "MERGE INTO ignored_workloads (runtime, workload_id, name, kind, image, state,"
                    + " owner_registry, first_seen, last_seen) KEY (runtime, workload_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Key key : gone) {
        Sql.bind(delete, key.runtime(), key.id());
        delete.addBatch();
      }
      for (IgnoredWorkload workload : present) {
        Sql.bind(
            merge,
            workload.runtime(),
            workload.id(),
            workload.name(),
            workload.kind(),
            workload.image(),
            workload.state(),
            workload.ownerRegistry(),
            workload.firstSeen(),
            workload.lastSeen());
        merge.addBatch();
      }
      delete.executeBatch();
      merge.executeBatch();
    }
    return null;
  }

  private static List<IgnoredWorkload> read(Connection connection) throws SQLException {
    List<IgnoredWorkload> workloads = new ArrayList<>();
    try (var statement =
            Sql.prepare(
                connection, "SELECT * FROM ignored_workloads ORDER BY runtime, workload_id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        workloads.add(
            new IgnoredWorkload(
                rows.getString("runtime"),
                rows.getString("workload_id"),
                rows.getString("name"),
                rows.getString("kind"),
                rows.getString("image"),
                rows.getString("state"),
                rows.getString("owner_registry"),
                Sql.instant(rows, "first_seen"),
                Sql.instant(rows, "last_seen")));
      }
    }
    return workloads;
  }
}
