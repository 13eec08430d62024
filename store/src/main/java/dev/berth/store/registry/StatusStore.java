package dev.berth.store.registry;

import dev.berth.spec.model.Wire;
import dev.berth.spec.status.ServiceConvergence;
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
 *
 * <p>Messages longer than {@value #MAX_MESSAGE} characters are cut (ending in "..."): they carry a
 * runtime's own words, whose length nobody controls, and one row too long would fail its whole
 * batch.
 */
public final class StatusStore {

  /** The longest message kept, of a status or a condition. */
  static final int MAX_MESSAGE = 1024;

  private static final String MERGE_STATUS =
      "MERGE INTO component_status (service, component, runtime, state, workload_id, image,"
          + " spec_hash, observed_generation, exit_code, started_at, message, updated_at)"
          + " KEY (service, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String MERGE_CONDITION =
      "MERGE INTO conditions AS stored USING (VALUES (CAST(? AS VARCHAR(63)),"
          + " CAST(? AS VARCHAR(63)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(8)),"
          + " CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(1024)),"
          + " CAST(? AS TIMESTAMP WITH TIME ZONE)))"
          + " AS given (service, component, type, status, reason, message, at)"
          + " ON stored.service = given.service AND stored.component = given.component"
          + " AND stored.type = given.type"
          + " WHEN MATCHED THEN UPDATE SET status = given.status, reason = given.reason,"
          + " message = given.message, last_transition = CASE WHEN stored.status = given.status"
          + " THEN stored.last_transition ELSE given.at END"
          + " WHEN NOT MATCHED THEN INSERT (service, component, type, status, reason, message,"
          + " last_transition) VALUES (given.service, given.component, given.type, given.status,"
          + " given.reason, given.message, given.at)";

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
                        truncate(status.message()),
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
    return database.read(
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
    return cache.writeObserved(
        () -> {
          if (conditions.isEmpty() || !cache.isDeclared(service)) {
            return List.of();
          }
          return database.transaction(
              connection -> {
                merge(connection, Map.of(service, conditions));
                Map<ConditionKey, Condition> stored = new HashMap<>();
                for (Condition condition : read(connection, service)) {
                  stored.put(new ConditionKey(condition.component(), condition.type()), condition);
                }
                return conditions.stream()
                    .map(c -> stored.get(new ConditionKey(c.component(), c.type())))
                    .toList();
              });
        });
  }

  /**
   * Sets the conditions of many services in one transaction, each as {@link #putConditions(String,
   * List)} would: a node that reports on ten thousand services commits once, not ten thousand
   * times.
   *
   * @return how many services' conditions were written: those of services that are not declared are
   *     skipped
   */
  public int putConditions(Map<String, List<Condition>> byService) {
    return putConditions(byService, Map.of());
  }

  /**
   * Sets the conditions of many services as {@link #putConditions(Map)} does, each service observed
   * at the generation {@code generations} gives. A service whose own {@link
   * ServiceConvergence#TYPE} condition is True at its current generation, declared running, marks
   * the spec it runs as healthy in its history (in the same transaction; see {@link
   * ServiceStore#lastHealthy}).
   *
   * @param generations per service, the generation its conditions were observed at; a service
   *     missing here marks nothing
   */
  public int putConditions(Map<String, List<Condition>> byService, Map<String, Long> generations) {
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
            return 0;
          }
          return database.transaction(
              connection -> {
                merge(connection, declared);
                ServiceHistory.markHealthy(connection, converged(declared, generations));
                return declared.size();
              });
        });
  }

  /**
   * Writes conditions, each in one statement that keeps the stored last-transition time while the
   * status stays: no read before, so no row can change between the read and the write, and ten
   * thousand services' conditions cost one pass.
   */
  private static void merge(Connection connection, Map<String, List<Condition>> byService)
      throws SQLException {
    try (PreparedStatement merge = connection.prepareStatement(MERGE_CONDITION)) {
      for (var entry : byService.entrySet()) {
        for (Condition condition : entry.getValue()) {
          Sql.bind(
              merge,
              entry.getKey(),
              condition.component(),
              condition.type(),
              condition.status().wire(),
              condition.reason(),
              truncate(condition.message()),
              condition.lastTransition());
          merge.addBatch();
        }
      }
      merge.executeBatch();
    }
  }

  /** The services whose own Converged condition is True, with the generation it holds at. */
  private static Map<String, ServiceHistory.Converged> converged(
      Map<String, List<Condition>> byService, Map<String, Long> generations) {
    Map<String, ServiceHistory.Converged> converged = new TreeMap<>();
    byService.forEach(
        (service, conditions) -> {
          Long generation = generations.get(service);
          if (generation == null) {
            return;
          }
          for (Condition condition : conditions) {
            if (condition.component().isEmpty()
                && condition.type().equals(ServiceConvergence.TYPE)
                && condition.status() == Condition.Status.TRUE) {
              converged.put(
                  service, new ServiceHistory.Converged(generation, condition.lastTransition()));
            }
          }
        });
    return converged;
  }

  /** The service's conditions, by component then type. */
  public List<Condition> conditions(String service) {
    return database.read(connection -> read(connection, service));
  }

  private static List<Condition> read(Connection connection, String service) throws SQLException {
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
  }

  private record ConditionKey(String component, String type) {}

  private static String truncate(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE - 3) + "...";
  }

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
