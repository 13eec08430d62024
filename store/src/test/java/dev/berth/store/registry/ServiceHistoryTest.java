package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.ServiceConvergence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last declared specs of each service, what became healthy, and rollback to one of them. */
class ServiceHistoryTest {

  private static final String FILES = "file:/etc/berth/services";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dataDirectory;
  private final SettableClock clock = new SettableClock(T0);
  private Registry registry;
  private ServiceStore services;

  @BeforeEach
  void open() {
    open(RegistryConfig.DEFAULT_HISTORY_PER_SERVICE);
  }

  private void open(int historyPerService) {
    registry =
        Registry.open(
            RegistryConfig.at(dataDirectory)
                .withClock(clock)
                .withHistoryPerService(historyPerService));
    services = registry.services();
  }

  @AfterEach
  void close() {
    registry.close();
  }

  /** The web service with its image at {@code version}. */
  private static ServiceSpec web(String version) {
    ServiceSpec base = Specs.web("shop");
    ComponentSpec component = base.components().get(0);
    return base.withComponents(
        List.of(
            ComponentSpec.container("web", "registry.example:5000/team/web:" + version)
                .withRoutes(component.routes())));
  }

  private ApplyResult apply(ServiceSpec spec) {
    clock.advance(Duration.ofMinutes(1));
    return services.apply(ApplyRequest.of(FILES, List.of(spec)));
  }

  private List<Long> generations() {
    return services.history("shop").stream().map(HistoryEntry::generation).toList();
  }

  /** What the status writer reports once the service is as declared at {@code generation}. */
  private void converged(long generation) {
    clock.advance(Duration.ofSeconds(5));
    registry
        .status()
        .putConditions(
            Map.of(
                "shop",
                List.of(
                    new Condition(
                        "",
                        ServiceConvergence.TYPE,
                        Condition.Status.TRUE,
                        "Converged",
                        "",
                        clock.instant()))),
            Map.of("shop", generation));
  }

  @Nested
  class Recording {

    @Test
    void aNewServiceHasOneEntryWithItsSourceAndTime() {
      apply(web("1.0.0"));

      List<HistoryEntry> history = services.history("shop");

      assertThat(history).hasSize(1);
      HistoryEntry first = history.get(0);
      assertThat(first.generation()).isEqualTo(1);
      assertThat(first.spec()).isEqualTo(web("1.0.0"));
      assertThat(first.source()).isEqualTo(FILES);
      assertThat(first.declaredAt()).isEqualTo(clock.instant());
      assertThat(first.rollbackOf()).isZero();
      assertThat(first.healthy()).isFalse();
      assertThat(first.changes()).as("nothing kept before it").isEmpty();
    }

    @Test
    void eachChangedSpecIsAnEntryWithWhatChangedByField() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      List<HistoryEntry> history = services.history("shop");

      assertThat(history).extracting(HistoryEntry::generation).containsExactly(1L, 2L);
      assertThat(history.get(1).changes())
          .containsExactly(
              new FieldChange(
                  "components[0].image",
                  "\"registry.example:5000/team/web:1.0.0\"",
                  "\"registry.example:5000/team/web:1.1.0\""));
    }

    @Test
    void applyingTheSameSpecAgainAddsNoEntry() {
      apply(web("1.0.0"));
      apply(web("1.0.0"));

      assertThat(generations()).containsExactly(1L);
    }

    @Test
    void stopAndStartBumpTheGenerationButAreNoEntries() {
      apply(web("1.0.0"));

      services.setDesiredState("shop", DesiredState.STOPPED, null);
      services.setDesiredState("shop", DesiredState.RUNNING, null);

      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(3);
      assertThat(generations()).containsExactly(1L);
    }

    @Test
    void aChangeOfTheDesiredStateAloneByApplyIsNoEntryEither() {
      apply(web("1.0.0"));

      apply(web("1.0.0").withDesiredState(DesiredState.STOPPED));

      assertThat(generations()).containsExactly(1L);
    }

    @Test
    void onlyTheNewestEntriesUpToTheLimitAreKept() {
      close();
      open(3);
      for (int i = 0; i < 5; i++) {
        apply(web("1." + i + ".0"));
      }

      List<HistoryEntry> history = services.history("shop");

      assertThat(history).extracting(HistoryEntry::generation).containsExactly(3L, 4L, 5L);
      assertThat(history.get(0).changes()).as("the one before it is gone").isEmpty();
      assertThat(history.get(1).changes()).hasSize(1);
    }

    @Test
    void aLowerLimitShowsAtOnceAndPrunesAtTheNextDeclaration() {
      for (int i = 0; i < 4; i++) {
        apply(web("1." + i + ".0"));
      }
      close();
      open(2);

      assertThat(generations()).containsExactly(3L, 4L);
      apply(web("2.0.0"));
      assertThat(generations()).containsExactly(4L, 5L);
    }

    @Test
    void anApplyThatIsRefusedRecordsNothing() {
      apply(web("1.0.0"));

      assertThatThrownBy(
              () ->
                  services.apply(
                      ApplyRequest.of(FILES, List.of(web("1.1.0"))).expecting("shop", 7)))
          .isInstanceOf(ConflictException.class);

      assertThat(generations()).containsExactly(1L);
    }

    @Test
    void aDryRunRecordsNothing() {
      apply(web("1.0.0"));

      services.apply(ApplyRequest.of(FILES, List.of(web("1.1.0"))).withDryRun(true));

      assertThat(generations()).containsExactly(1L);
    }

    @Test
    void theHistoryIsKeptAcrossARestartOfTheRegistry() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      close();
      open();

      assertThat(generations()).containsExactly(1L, 2L);
    }

    @Test
    void deletingAServiceDeletesItsHistory() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      services.delete("shop", null);
      apply(web("2.0.0"));

      assertThat(generations()).as("a new service, with a new history").containsExactly(1L);
    }

    @Test
    void theHistoryOfAnUnknownServiceIsNotFound() {
      assertThatThrownBy(() -> services.history("ghost"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("no service named ghost");
    }
  }

  @Nested
  class BecomingHealthy {

    @Test
    void convergingAtTheCurrentGenerationMarksItsSpecHealthy() {
      apply(web("1.0.0"));

      converged(1);

      HistoryEntry entry = services.history("shop").get(0);
      assertThat(entry.healthyAt()).isEqualTo(clock.instant());
      assertThat(services.lastHealthy("shop")).contains(entry);
    }

    @Test
    void theFirstConvergenceCountsNotTheLaterOnes() {
      apply(web("1.0.0"));
      converged(1);
      Instant first = clock.instant();

      converged(1);

      assertThat(services.history("shop").get(0).healthyAt()).isEqualTo(first);
    }

    @Test
    void theLastHealthyIsTheNewestThatConvergedNotTheNewest() {
      apply(web("1.0.0"));
      converged(1);
      apply(web("1.1.0"));
      converged(2);
      apply(web("broken"));

      assertThat(services.lastHealthy("shop")).map(HistoryEntry::generation).contains(2L);
      assertThat(services.history("shop"))
          .extracting(HistoryEntry::healthy)
          .containsExactly(true, true, false);
    }

    @Test
    void aReportForAnOlderGenerationMarksNothing() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      converged(1);

      assertThat(services.lastHealthy("shop")).isEmpty();
    }

    @Test
    void aStoppedServiceThatConvergedIsNotHealthy() {
      apply(web("1.0.0"));
      services.setDesiredState("shop", DesiredState.STOPPED, null);

      converged(2);

      assertThat(services.lastHealthy("shop")).isEmpty();
    }

    @Test
    void convergingAfterAStartMarksTheSpecItRuns() {
      apply(web("1.0.0"));
      services.setDesiredState("shop", DesiredState.STOPPED, null);
      services.setDesiredState("shop", DesiredState.RUNNING, null);

      converged(3);

      assertThat(services.lastHealthy("shop")).map(HistoryEntry::generation).contains(1L);
    }

    @Test
    void conditionsWithoutTheirGenerationMarkNothing() {
      apply(web("1.0.0"));

      registry
          .status()
          .putConditions(
              Map.of(
                  "shop",
                  List.of(
                      new Condition(
                          "",
                          ServiceConvergence.TYPE,
                          Condition.Status.TRUE,
                          "Converged",
                          "",
                          T0))));

      assertThat(services.lastHealthy("shop")).isEmpty();
    }

    @Test
    void convergedFalseMarksNothing() {
      apply(web("1.0.0"));

      registry
          .status()
          .putConditions(
              Map.of(
                  "shop",
                  List.of(
                      new Condition(
                          "",
                          ServiceConvergence.TYPE,
                          Condition.Status.FALSE,
                          "Progressing",
                          "web: starting",
                          T0))),
              Map.of("shop", 1L));

      assertThat(services.lastHealthy("shop")).isEmpty();
    }
  }

  @Nested
  class RollingBack {

    @Test
    void declaresTheEarlierSpecAgainAsANewGeneration() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      ServiceChange change = services.rollback("shop", 1, null, "api").of("shop");

      assertThat(change.kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(change.generation()).isEqualTo(3);
      assertThat(change.diff())
          .containsExactly(
              new FieldChange(
                  "components[0].image",
                  "\"registry.example:5000/team/web:1.1.0\"",
                  "\"registry.example:5000/team/web:1.0.0\""));
      StoredService stored = services.get("shop").orElseThrow();
      assertThat(stored.spec()).isEqualTo(web("1.0.0"));
      assertThat(stored.generation()).isEqualTo(3);
      assertThat(stored.source()).as("the service keeps its owner").isEqualTo(FILES);
    }

    @Test
    void theNewEntrySaysWhoRolledBackToWhichGeneration() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      services.rollback("shop", 1, null, "auto-revert");

      HistoryEntry entry = services.history("shop").get(2);
      assertThat(entry.generation()).isEqualTo(3);
      assertThat(entry.source()).isEqualTo("auto-revert");
      assertThat(entry.rollbackOf()).isEqualTo(1);
      assertThat(entry.spec()).isEqualTo(web("1.0.0"));
    }

    @Test
    void withoutAGenerationGoesBackToTheEntryBeforeTheNewest() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      apply(web("1.2.0"));

      services.rollback("shop", 0, null, "api");

      assertThat(services.get("shop").orElseThrow().spec()).isEqualTo(web("1.1.0"));
    }

    @Test
    void keepsTheDesiredStateTheServiceHasNow() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      services.setDesiredState("shop", DesiredState.STOPPED, null);

      services.rollback("shop", 1, null, "api");

      assertThat(services.get("shop").orElseThrow().spec())
          .isEqualTo(web("1.0.0").withDesiredState(DesiredState.STOPPED));
    }

    @Test
    void toTheSpecDeclaredNowChangesNothing() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      services.rollback("shop", 1, null, "api");

      ServiceChange change = services.rollback("shop", 3, null, "api").of("shop");

      assertThat(change.kind()).isEqualTo(ChangeKind.UNCHANGED);
      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(3);
      assertThat(generations()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aStaleExpectedGenerationIsAConflictAndChangesNothing() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      assertThatThrownBy(() -> services.rollback("shop", 1, 1L, "api"))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("expected generation 1, found 2");

      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(2);
      assertThat(generations()).containsExactly(1L, 2L);
    }

    @Test
    void theCurrentExpectedGenerationIsAccepted() {
      apply(web("1.0.0"));
      apply(web("1.1.0"));

      assertThat(services.rollback("shop", 1, 2L, "api").of("shop").generation()).isEqualTo(3);
    }

    @Test
    void aGenerationNoLongerKeptIsNotFoundAndTheMessageListsWhatIsKept() {
      close();
      open(2);
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      apply(web("1.2.0"));

      assertThatThrownBy(() -> services.rollback("shop", 1, null, "api"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage(
              "service shop has no generation 1 in its history (it keeps generations 2, 3; at"
                  + " most 2 are kept)");
      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(3);
    }

    @Test
    void aGenerationThatIsNoEntryIsNotFound() {
      apply(web("1.0.0"));
      services.setDesiredState("shop", DesiredState.STOPPED, null);

      assertThatThrownBy(() -> services.rollback("shop", 2, null, "api"))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("has no generation 2 in its history (it keeps generation 1;");
    }

    @Test
    void aServiceWithOneEntryHasNothingToGoBackTo() {
      apply(web("1.0.0"));

      assertThatThrownBy(() -> services.rollback("shop", 0, null, "api"))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("has no earlier generation in its history to roll back to");
    }

    @Test
    void anUnknownServiceIsNotFound() {
      assertThatThrownBy(() -> services.rollback("ghost", 1, null, "api"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("no service named ghost");
    }

    @Test
    void aRouteAnotherServiceClaimsNowIsAConflictAndChangesNothing() {
      apply(web("1.0.0"));
      ServiceSpec moved =
          web("1.1.0")
              .withComponents(
                  List.of(
                      ComponentSpec.container("web", "registry.example:5000/team/web:1.1.0")
                          .withRoutes(
                              List.of(
                                  new RouteSpec(
                                      "https", 8443, RouteMode.L7, "shop.example.com")))));
      apply(moved);
      services.apply(
          ApplyRequest.of(
              "client:other",
              List.of(
                  ServiceSpec.of(
                      "thief",
                      ComponentSpec.container("web", "registry.example:5000/team/web:1.0.0")
                          .withRoutes(
                              List.of(
                                  new RouteSpec(
                                      "https", 443, RouteMode.L7, "shop.example.com")))))));

      assertThatThrownBy(() -> services.rollback("shop", 1, null, "api"))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("is claimed by service thief");
      assertThat(services.get("shop").orElseThrow().spec()).isEqualTo(moved);
    }

    @Test
    void subscribersHearOfTheRollback() throws Exception {
      apply(web("1.0.0"));
      apply(web("1.1.0"));
      List<List<String>> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

      AutoCloseable subscription = services.subscribe(heard::add);
      services.rollback("shop", 1, null, "api");
      subscription.close();

      assertThat(heard).containsExactly(List.of("shop"));
    }
  }
}
