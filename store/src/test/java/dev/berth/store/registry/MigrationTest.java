package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry written by an older Berth opens, upgrades, and keeps what it held. */
class MigrationTest {

  @TempDir Path dataDirectory;

  /** A registry file written with the schema at {@code version}, holding what {@code sql} adds. */
  void olderRegistry(String version, String... sql) throws Exception {
    String url = "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("registry");
    Flyway.configure().dataSource(url, "berth", "").target(version).load().migrate();
    try (Connection connection = DriverManager.getConnection(url, "berth", "")) {
      for (String statement : sql) {
        connection.createStatement().execute(statement);
      }
      connection.createStatement().execute("SHUTDOWN");
    }
  }

  /** The one component of the service "legacy", as every version stores it. */
  static String legacyComponent() {
    return "INSERT INTO components VALUES ('legacy', 'web', 0, 'container', '"
        + SpecJson.write(Specs.web("legacy").components().get(0))
        + "')";
  }

  @Test
  void aRegistryOfSchemaVersionOneIsMigratedAndKeepsItsServices() throws Exception {
    olderRegistry(
        "1",
        "INSERT INTO services VALUES ('legacy', 7, 'file:/old', 'running', NULL, 'from v1',"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z',"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00Z')",
        legacyComponent());

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      StoredService legacy = registry.services().get("legacy").orElseThrow();
      assertThat(legacy.generation()).isEqualTo(7);
      assertThat(legacy.spec().components()).isEqualTo(Specs.web("legacy").components());
      assertThat(registry.ports().allocate(new PortKey("legacy", "web", "https"), 20001).hostPort())
          .isEqualTo(20001);
      assertThat(registry.identity().get().claimsUnlabelled())
          .as("an upgraded registry made the workloads that carry no registry id")
          .isTrue();
      assertThat(schemaVersions(registry))
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
  }

  @Test
  void aServiceFromBeforeLabelsReadsBackWithoutLabelsAndUnchanged() throws Exception {
    olderRegistry(
        "8",
        "INSERT INTO services VALUES ('legacy', 7, 'file:/old', 'running', NULL, 'from v8',"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z',"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00Z')",
        legacyComponent());

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      StoredService legacy = registry.services().get("legacy").orElseThrow();
      assertThat(legacy.spec().labels()).isEmpty();
      ApplyResult again =
          registry.services().apply(ApplyRequest.of("file:/old", List.of(legacy.spec())));
      assertThat(again.of("legacy").kind()).isEqualTo(ChangeKind.UNCHANGED);
    }
  }

  @Test
  void aRegistryFromBeforeHistoryStartsEachServicesHistoryWithWhatIsDeclaredNow() throws Exception {
    olderRegistry(
        "6",
        "INSERT INTO services VALUES ('legacy', 7, 'file:/old', 'stopped', NULL, 'from v6',"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z',"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00Z')",
        legacyComponent());

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      List<HistoryEntry> history = registry.services().history("legacy");
      assertThat(history).hasSize(1);
      HistoryEntry entry = history.get(0);
      assertThat(entry.generation()).isEqualTo(7);
      assertThat(entry.spec()).isEqualTo(registry.services().get("legacy").orElseThrow().spec());
      assertThat(entry.source()).isEqualTo("file:/old");
      assertThat(entry.declaredAt()).isEqualTo(java.time.Instant.parse("2025-06-01T00:00:00Z"));
      assertThat(entry.healthy()).isFalse();
    }
  }

  @Test
  void aRouteAllocatedBeforeSparePortsKeepsItsPortAndHasNoSpareYet() throws Exception {
    olderRegistry(
        "6",
        "INSERT INTO services VALUES ('legacy', 7, 'file:/old', 'running', NULL, 'from v6',"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z',"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00Z')",
        legacyComponent(),
        "INSERT INTO port_allocations VALUES ('legacy', 'web', 'https', 20007,"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z')");

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      PortAllocation held =
          registry.ports().get(new PortKey("legacy", "web", "https")).orElseThrow();
      assertThat(held.hostPort()).isEqualTo(20007);
      assertThat(held.hasSpare()).isFalse();
      assertThat(registry.ports().allocateSpare(held.key(), 20008).hostPorts())
          .containsExactly(20007, 20008);
    }
  }

  @Test
  void eventsRecordedBeforeEventSeriesAreSeriesOfOneInTheirOrder() throws Exception {
    String insertEvent =
        "INSERT INTO events (service, component, at, type, reason, message) VALUES ('legacy',"
            + " 'web', TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z', 'Warning', 'Failed', '%s')";
    olderRegistry(
        "4",
        "INSERT INTO services VALUES ('legacy', 1, 'file:/old', 'running', NULL, NULL,"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z',"
            + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00Z')",
        legacyComponent(),
        String.format(insertEvent, "first"),
        String.format(insertEvent, "second"));

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      List<ServiceEvent> before = registry.events().of("legacy");
      assertThat(before).extracting(ServiceEvent::message).containsExactly("first", "second");
      assertThat(before).extracting(ServiceEvent::count).containsExactly(1, 1);
      assertThat(before).allSatisfy(event -> assertThat(event.lastSeen()).isEqualTo(event.at()));

      ServiceEvent again =
          registry
              .events()
              .record("legacy", "web", ServiceEvent.Type.WARNING, "Failed", "first")
              .orElseThrow();
      ServiceEvent thrice =
          registry
              .events()
              .record("legacy", "web", ServiceEvent.Type.WARNING, "Failed", "first")
              .orElseThrow();

      // A new series (the old rows' series were not seen by this registry), after the old ones.
      assertThat(again.id()).isGreaterThan(before.get(1).id());
      assertThat(thrice.id()).isEqualTo(again.id());
      assertThat(thrice.count()).isEqualTo(2);
      assertThat(registry.events().of("legacy"))
          .extracting(ServiceEvent::message, ServiceEvent::count)
          .containsExactly(tuple("first", 1), tuple("second", 1), tuple("first", 2));
    }
  }

  @Test
  void openingAnUpToDateRegistryAgainChangesNothing() {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().get("shop").orElseThrow().generation()).isEqualTo(1);
    }
  }

  private static List<String> schemaVersions(Registry registry) throws Exception {
    String url = "jdbc:h2:file:" + registry.file().toString().replace(".mv.db", "");
    registry.close();
    try (Connection connection = DriverManager.getConnection(url, "berth", "");
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT \"version\" FROM \"flyway_schema_history\""
                        + " WHERE \"success\" AND \"version\" IS NOT NULL"
                        + " ORDER BY \"installed_rank\"")) {
      List<String> versions = new java.util.ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
      return versions;
    }
  }
}
