package dev.berth.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.Wire;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history tables (V7): the last declared specs of each service. Only called inside the
 * transactions of the stores, so an entry commits with the declaration it records, and a service's
 * deletion takes its history with it (a foreign key).
 */
final class ServiceHistory {

  private ServiceHistory() {}

  /**
   * An entry to write.
   *
   * @param spec what was declared
   * @param generation the generation it was declared at
   * @param at when
   * @param source who declared it
   * @param rollbackOf the generation whose spec it declares again, or 0
   */
  record NewEntry(ServiceSpec spec, long generation, Instant at, String source, long rollbackOf) {}

  /**
   * Whether two specs differ by more than their desired state: only such a change makes an entry (a
   * stop or a start is not a new version of the service, as scaling is not a new revision of a
   * Deployment).
   */
  static boolean sameVersion(ServiceSpec a, ServiceSpec b) {
    return a.withDesiredState(DesiredState.RUNNING)
        .equals(b.withDesiredState(DesiredState.RUNNING));
  }

  static void write(Connection connection, Collection<NewEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement rows =
            connection.prepareStatement(
                "INSERT INTO service_history (service, generation, declared_at, source,"
                    + " rollback_of, desired_state, node, comment, labels)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement components =
            connection.prepareStatement(
                "INSERT INTO service_history_components (service, generation, position, spec)"
                    + " VALUES (?, ?, ?, ?)")) {
      for (NewEntry entry : entries) {
        ServiceSpec spec = entry.spec();
        Sql.bind(
            rows,
            spec.name(),
            entry.generation(),
            entry.at(),
            entry.source(),
            entry.rollbackOf() == 0 ? null : entry.rollbackOf(),
            spec.desiredState().wire(),
            spec.node(),
            spec.comment(),
            SpecJson.writeLabels(spec.labels()));
        rows.addBatch();
        for (int i = 0; i < spec.components().size(); i++) {
          Sql.bind(
              components,
              spec.name(),
              entry.generation(),
              i,
              SpecJson.write(spec.components().get(i)));
          components.addBatch();
        }
      }
      rows.executeBatch();
      components.executeBatch();
    }
  }

  /** Keeps the newest {@code keep} entries of each service; their components go with them. */
  static void prune(Connection connection, Collection<String> services, int keep)
      throws SQLException {
    if (services.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM service_history WHERE service = ? AND generation <= (SELECT generation"
                + " FROM service_history WHERE service = ? ORDER BY generation DESC"
                + " OFFSET ? ROWS FETCH FIRST 1 ROW ONLY)")) {
      for (String service : services) {
        Sql.bind(delete, service, service, keep);
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  /**
   * The service's newest {@code keep} entries, oldest first, each with its changes from the one
   * before. Entries beyond {@code keep} (left by a larger limit, until the service's next
   * declaration prunes them) are not read.
   */
  static List<HistoryEntry> read(Connection connection, String service, int keep)
      throws SQLException {
    Map<Long, Row> rows = new LinkedHashMap<>();
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT * FROM (SELECT * FROM service_history WHERE service = ?"
                    + " ORDER BY generation DESC FETCH FIRST ? ROWS ONLY) ORDER BY generation",
                service,
                keep);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        Row row = new Row(result);
        rows.put(row.generation, row);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    long oldest = rows.keySet().iterator().next();
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT generation, spec FROM service_history_components"
                    + " WHERE service = ? AND generation >= ? ORDER BY generation, position",
                service,
                oldest);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        Row row = rows.get(result.getLong("generation"));
        if (row != null) {
          row.components.add(SpecJson.readComponent(result.getString("spec")));
        }
      }
    }
    List<HistoryEntry> entries = new ArrayList<>();
    ObjectNode before = null;
    for (Row row : rows.values()) {
      ServiceSpec spec =
          new ServiceSpec(service, row.node, row.state, row.comment, row.components, row.labels);
      ObjectNode json = SpecJson.toJson(spec);
      json.remove("state"); // stop and start are not versions: the diff leaves them out
      entries.add(
          new HistoryEntry(
              row.generation,
              spec,
              row.declaredAt,
              row.source,
              row.rollbackOf,
              row.healthyAt,
              before == null ? List.of() : SpecDiff.between(before, json)));
      before = json;
    }
    return entries;
  }

  /**
   * Records that services converged: for each, at the generation given, the entry in effect then
   * (the newest at or before it) became healthy, unless it already had. Only when that generation
   * is still the service's current one and the service is declared running: a stopped service's
   * convergence says nothing of its spec, and for an older generation the desired state it had then
   * is not known. A report that comes late (a new generation declared meanwhile) is therefore not
   * counted; the next convergence is.
   *
   * @param converged per service, the generation it converged at and when
   */
  static void markHealthy(Connection connection, Map<String, Converged> converged)
      throws SQLException {
    if (converged.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE service_history SET healthy_at = ? WHERE service = ? AND healthy_at IS NULL"
                + " AND generation = (SELECT MAX(generation) FROM service_history"
                + " WHERE service = ? AND generation <= ?)"
                + " AND EXISTS (SELECT 1 FROM services WHERE name = ? AND generation = ?"
                + " AND desired_state = ?)")) {
      for (var entry : converged.entrySet()) {
        String service = entry.getKey();
        Converged at = entry.getValue();
        Sql.bind(
            update,
            at.at(),
            service,
            service,
            at.generation(),
            service,
            at.generation(),
            DesiredState.RUNNING.wire());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** A service's convergence: at which generation, and when. */
  record Converged(long generation, Instant at) {}

  /** One entry's columns while its components are being collected. */
  private static final class Row {
    final long generation;
    final Instant declaredAt;
    final String source;
    final long rollbackOf;
    final DesiredState state;
    final String node;
    final String comment;
    final Map<String, String> labels;
    final Instant healthyAt;
    final List<ComponentSpec> components = new ArrayList<>();

    Row(ResultSet rows) throws SQLException {
      generation = rows.getLong("generation");
      declaredAt = Sql.instant(rows, "declared_at");
      source = rows.getString("source");
      rollbackOf = rows.getLong("rollback_of"); // 0 when NULL
      String stateText = rows.getString("desired_state");
      state =
          Wire.parse(DesiredState.class, DesiredState::wire, stateText)
              .orElseThrow(
                  () -> new RegistryException("stored desired state is unknown: " + stateText));
      node = rows.getString("node");
      comment = rows.getString("comment");
      labels = SpecJson.readLabels(rows.getString("labels"));
      healthyAt = Sql.instant(rows, "healthy_at");
    }
  }
}
