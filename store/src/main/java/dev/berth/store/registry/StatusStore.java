package dev.berth.store.registry;

import dev.berth.store.model.Wire;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What was observed of each component, and conditions (Kubernetes-style facts with a reason).
 * Status writes never bump a service's generation: they describe the node, not the declaration.
 *
 * <p>Observations of a service that is not declared (any more) are skipped, not refused: a
 * reconciler may report on a service that was deleted meanwhile, and that must neither fail nor
 * resurrect it. Batches take one transaction, however many rows they hold.
 */
public final class StatusStore {

  private static final String MERGE_STATUS =
      "MERGE INTO component_status (service, component, runtime, state, workload_id, image,"
          + " spec_hash, observed_generation, exit_code, started_at, message, updated_at)"
          + " KEY (service, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Services whose conditions one query reads: bounds the statement, not the batch. */
  private static final int LOCK_CHUNK = 1000;

  private static final Comparator<ComponentStatus> BY_KEY =
      Comparator.comparing(ComponentStatus::service).thenComparing(ComponentStatus::component);

  private final Database database;
  private final RegistryCache cache;

  StatusStore(Database database, RegistryCache cache) {
    this.database = database;
    this.cache = cache;
  }

  /**
   * Records the latest observation of a component, replacing the previous one.
   *
   * @return false if its service is not declared, and nothing was written
   */
  public boolean put(ComponentStatus status) {
    return putAll(List.of(status)) == 1;
  }

  /**
   * Records the latest observations of many components in one transaction, each replacing the
   * previous one of its component; of two for the same component, the later one wins.
   *
   * @return how many were written: those of services that are not declared are skipped
   */
  public int putAll(Collection<ComponentStatus> statuses) {
    return cache.writeObserved(
        () -> {
          // In key order, so that two batches lock common rows in one order and never deadlock.
          List<ComponentStatus> declared =
              statuses.stream()
                  .filter(status -> cache.isDeclared(status.service()))
                  .sorted(BY_KEY)
                  .toList();
          if (declared.isEmpty()) {
            return 0;
          }
          return database.transaction(
              connection -> {
                try (PreparedStatement merge = connection.prepareStatement(MERGE_STATUS)) {
                  for (ComponentStatus status : declared) {
                    Sql.bind(
                        merge,
                        status.service(),
                        status.component(),
                        status.runtime(),
                        status.state(),
                        status.workloadId(),
                        status.image(),
                        status.specHash(),
                        status.observedGeneration(),
                        status.exitCode(),
                        status.startedAt(),
                        status.message(),
                        status.updatedAt());
                    merge.addBatch();
                  }
                  merge.executeBatch();
                }
                return declared.size();
              });
        });
  }

  /**
   * Forgets the observation of a component, as when it is no longer declared. Its conditions are
   * kept; they are written and replaced apart ({@link #putConditions}).
   *
   * @return false if there was none
   */
  public boolean remove(String service, String component) {
    return database.transaction(
        connection ->
            Sql.update(
                    connection,
                    "DELETE FROM component_status WHERE service = ? AND component = ?",
                    service,
                    component)
                == 1);
  }

  /** The service's components' latest observations, by component. */
  public List<ComponentStatus> of(String service) {
    return database.transaction(
        connection -> {
          List<ComponentStatus> statuses = new ArrayList<>();
          try (var statement =
                  Sql.prepare(
                      connection,
                      "SELECT * FROM component_status WHERE service = ? ORDER BY component",
                      service);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              statuses.add(
                  new ComponentStatus(
                      rows.getString("service"),
                      rows.getString("component"),
                      rows.getString("runtime"),
                      rows.getString("state"),
                      rows.getString("workload_id"),
                      rows.getString("image"),
                      rows.getString("spec_hash"),
                      rows.getLong("observed_generation"),
                      Sql.integer(rows, "exit_code"),
                      Sql.instant(rows, "started_at"),
                      rows.getString("message"),
                      Sql.instant(rows, "updated_at")));
            }
          }
          return statuses;
        });
  }

  /**
   * Sets a condition. Its last-transition time only moves when its status changes, so "False for
   * how long" stays answerable however often it is rewritten.
   *
   * @return the condition as stored, or empty if the service is not declared (nothing written)
   */
  public Optional<Condition> putCondition(String service, Condition condition) {
    return putConditions(service, List.of(condition)).stream().findFirst();
  }

  /**
   * Sets several conditions of one service in one transaction, each as {@link #putCondition} would;
   * of two for the same component and type, the later one wins.
   *
   * @return the conditions as stored, in the given order; empty if the service is not declared
   */
  public List<Condition> putConditions(String service, List<Condition> conditions) {
    return putConditions(Map.of(service, conditions)).getOrDefault(service, List.of());
  }

  /**
   * Sets the conditions of many services in one transaction, each as {@link #putConditions(String,
   * List)} would: a node that reports on ten thousand services commits once, not ten thousand
   * times.
   *
   * @return the conditions as stored, by service, each in its given order; services that are not
   *     declared are left out, and nothing of theirs is written
   */
  public Map<String, List<Condition>> putConditions(Map<String, List<Condition>> byService) {
    return cache.writeObserved(
        () -> {
          // In name order, so that two batches lock common rows in one order and never deadlock.
          Map<String, List<Condition>> declared = new TreeMap<>();
          byService.forEach(
              (service, conditions) -> {
                if (!conditions.isEmpty() && cache.isDeclared(service)) {
                  declared.put(service, conditions);
                }
              });
          if (declared.isEmpty()) {
            return Map.of();
          }
          return database.transaction(connection -> writeConditions(connection, declared));
        });
  }

  private static Map<String, List<Condition>> writeConditions(
      Connection connection, Map<String, List<Condition>> byService) throws SQLException {
    Map<String, Map<ConditionKey, Condition>> current = lockConditions(connection, byService);
    Map<String, List<Condition>> stored = new HashMap<>();
    try (PreparedStatement merge =
        connection.prepareStatement(
            "MERGE INTO conditions (service, component, type, status, reason, message,"
                + " last_transition) KEY (service, component, type) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (var entry : byService.entrySet()) {
        String service = entry.getKey();
        Map<ConditionKey, Condition> before = current.getOrDefault(service, new HashMap<>());
        List<Condition> kept = new ArrayList<>();
        for (Condition condition : entry.getValue()) {
          Condition written = keepTransition(before, condition);
          kept.add(written);
          Sql.bind(
              merge,
              service,
              written.component(),
              written.type(),
              written.status().wire(),
              written.reason(),
              written.message(),
              written.lastTransition());
          merge.addBatch();
        }
        stored.put(service, kept);
      }
      merge.executeBatch();
    }
    return stored;
  }

  /**
   * The condition to store: its last-transition time stays the one stored while its status stays.
   * Records it in {@code current}, so that a later condition of the same batch sees it.
   */
  private static Condition keepTransition(
      Map<ConditionKey, Condition> current, Condition condition) {
    ConditionKey key = new ConditionKey(condition.component(), condition.type());
    Condition before = current.get(key);
    Condition kept =
        before != null && before.status() == condition.status()
            ? new Condition(
                condition.component(),
                condition.type(),
                condition.status(),
                condition.reason(),
                condition.message(),
                before.lastTransition())
            : condition;
    current.put(key, kept);
    return kept;
  }

  /** Reads and locks the stored conditions of the services, a thousand services per query. */
  private static Map<String, Map<ConditionKey, Condition>> lockConditions(
      Connection connection, Map<String, List<Condition>> byService) throws SQLException {
    Map<String, Map<ConditionKey, Condition>> current = new HashMap<>();
    List<String> services = List.copyOf(byService.keySet());
    for (int from = 0; from < services.size(); from += LOCK_CHUNK) {
      Object[] chunk =
          services.subList(from, Math.min(services.size(), from + LOCK_CHUNK)).toArray();
      try (var statement =
              Sql.prepare(
                  connection,
                  "SELECT * FROM conditions WHERE service = ANY(?)"
                      + " ORDER BY service, component, type FOR UPDATE",
                  (Object) chunk);
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Condition condition = condition(rows);
          current
              .computeIfAbsent(rows.getString("service"), s -> new HashMap<>())
              .put(new ConditionKey(condition.component(), condition.type()), condition);
        }
      }
    }
    return current;
  }

  /** The service's conditions, by component then type. */
  public List<Condition> conditions(String service) {
    return database.transaction(
        connection -> {
          List<Condition> conditions = new ArrayList<>();
          try (var statement =
                  Sql.prepare(
                      connection,
                      "SELECT * FROM conditions WHERE service = ? ORDER BY component, type",
                      service);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              conditions.add(condition(rows));
            }
          }
          return conditions;
        });
  }

  private record ConditionKey(String component, String type) {}

  private static Condition condition(ResultSet rows) throws SQLException {
    String status = rows.getString("status");
    return new Condition(
        rows.getString("component"),
        rows.getString("type"),
        Wire.parse(Condition.Status.class, Condition.Status::wire, status)
            .orElseThrow(() -> new RegistryException("stored status is unknown: " + status)),
        rows.getString("reason"),
        rows.getString("message"),
        Sql.instant(rows, "last_transition"));
  }
}
