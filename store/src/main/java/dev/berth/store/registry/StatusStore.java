package dev.berth.store.registry;

import dev.berth.store.model.Wire;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What was observed of each component, and conditions (Kubernetes-style facts with a reason).
 * Status writes never bump a service's generation: they describe the node, not the declaration.
 */
public final class StatusStore {

  private final Database database;

  StatusStore(Database database) {
    this.database = database;
  }

  /** Records the latest observation of a component, replacing the previous one. */
  public void put(ComponentStatus status) {
    database.transaction(
        connection -> {
          requireService(connection, status.service());
          return Sql.update(
              connection,
              "MERGE INTO component_status (service, component, runtime, state, workload_id, image,"
                  + " spec_hash, observed_generation, exit_code, started_at, message, updated_at)"
                  + " KEY (service, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        });
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
   * @return the condition as stored
   */
  public Condition putCondition(String service, Condition condition) {
    return database.transaction(
        connection -> {
          requireService(connection, service);
          Condition stored = condition;
          try (var statement =
                  Sql.prepare(
                      connection,
                      "SELECT status, last_transition FROM conditions"
                          + " WHERE service = ? AND component = ? AND type = ? FOR UPDATE",
                      service,
                      condition.component(),
                      condition.type());
              ResultSet rows = statement.executeQuery()) {
            if (rows.next() && rows.getString("status").equals(condition.status().wire())) {
              stored =
                  new Condition(
                      condition.component(),
                      condition.type(),
                      condition.status(),
                      condition.reason(),
                      condition.message(),
                      Sql.instant(rows, "last_transition"));
            }
          }
          Sql.update(
              connection,
              "MERGE INTO conditions (service, component, type, status, reason, message,"
                  + " last_transition) KEY (service, component, type) VALUES (?, ?, ?, ?, ?, ?, ?)",
              service,
              stored.component(),
              stored.type(),
              stored.status().wire(),
              stored.reason(),
              stored.message(),
              stored.lastTransition());
          return stored;
        });
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
              String status = rows.getString("status");
              conditions.add(
                  new Condition(
                      rows.getString("component"),
                      rows.getString("type"),
                      Wire.parse(Condition.Status.class, Condition.Status::wire, status)
                          .orElseThrow(
                              () -> new RegistryException("stored status is unknown: " + status)),
                      rows.getString("reason"),
                      rows.getString("message"),
                      Sql.instant(rows, "last_transition")));
            }
          }
          return conditions;
        });
  }

  static void requireService(Connection connection, String service) throws SQLException {
    try (var statement = Sql.prepare(connection, "SELECT 1 FROM services WHERE name = ?", service);
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        throw new NotFoundException("no service named " + service);
      }
    }
  }
}
