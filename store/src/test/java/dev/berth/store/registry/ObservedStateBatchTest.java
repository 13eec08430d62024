package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched writes of observed state: statuses, conditions, events. Each batch is one transaction;
 * rows of services that are not declared are skipped, never failing the batch.
 */
class ObservedStateBatchTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String FILES = "file:/etc/berth/services";

  @TempDir Path dataDirectory;
  private final SettableClock clock = new SettableClock(T0);
  private Registry registry;

  @BeforeEach
  void open() {
    registry =
        Registry.open(RegistryConfig.at(dataDirectory).withEventsPerService(3).withClock(clock));
    registry
        .services()
        .apply(ApplyRequest.of(FILES, List.of(Specs.web("blog"), Specs.web("shop"))));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  // ---- statuses ----

  @Test
  void putAllRecordsEveryStatusOfTheBatch() {
    int written =
        registry
            .status()
            .putAll(
                List.of(
                    status("shop", "web", "running"),
                    status("shop", "db", "running"),
                    status("blog", "web", "exited")));

    assertThat(written).isEqualTo(3);
    assertThat(registry.status().of("shop"))
        .extracting(ComponentStatus::component)
        .containsExactly("db", "web");
    assertThat(registry.status().of("blog"))
        .extracting(ComponentStatus::state)
        .containsExactly("exited");
  }

  @Test
  void ofTwoStatusesOfOneComponentInABatchTheLaterWins() {
    registry
        .status()
        .putAll(List.of(status("shop", "web", "created"), status("shop", "web", "running")));

    assertThat(registry.status().of("shop"))
        .extracting(ComponentStatus::state)
        .containsExactly("running");
  }

  @Test
  void statusesOfUndeclaredServicesAreSkippedAndTheRestWritten() {
    int written =
        registry
            .status()
            .putAll(List.of(status("ghost", "web", "running"), status("shop", "web", "running")));

    assertThat(written).isEqualTo(1);
    assertThat(registry.status().of("shop")).hasSize(1);
    assertThat(registry.status().of("ghost")).isEmpty();
  }

  @Test
  void aBatchWithOneUnstorableStatusWritesNone() {
    ComponentStatus tooLongState =
        new ComponentStatus(
            "blog", "web", "container", "x".repeat(17), null, null, null, 1, null, null, null, T0);

    assertThatThrownBy(
            () -> registry.status().putAll(List.of(status("shop", "web", "running"), tooLongState)))
        .isInstanceOf(RegistryException.class);

    assertThat(registry.status().of("shop")).isEmpty();
  }

  @Test
  void aLongStatusOrConditionMessageIsStoredShortenedAndFailsNoBatch() {
    ComponentStatus talkative =
        new ComponentStatus(
            "shop",
            "web",
            "container",
            "ImageMissing",
            null,
            null,
            null,
            1,
            null,
            null,
            "x".repeat(5000),
            T0);

    registry.status().putAll(List.of(talkative, status("blog", "web", "running")));
    registry
        .status()
        .putConditions(
            "shop",
            List.of(
                new Condition(
                    "web", "Ready", Condition.Status.FALSE, "ImageMissing", "y".repeat(5000), T0)));

    assertThat(registry.status().of("shop").get(0).message()).hasSize(1024).endsWith("...");
    assertThat(registry.status().of("blog")).hasSize(1);
    assertThat(registry.status().conditions("shop").get(0).message()).hasSize(1024).endsWith("...");
  }

  @Test
  void removeForgetsTheStatusOfOneComponent() {
    registry
        .status()
        .putAll(List.of(status("shop", "web", "running"), status("shop", "db", "running")));

    assertThat(registry.status().remove("shop", "db")).isTrue();
    assertThat(registry.status().remove("shop", "db")).isFalse();

    assertThat(registry.status().of("shop"))
        .extracting(ComponentStatus::component)
        .containsExactly("web");
  }

  // ---- conditions ----

  @Test
  void putConditionsKeepsEachTransitionTimeWhileItsStatusStays() {
    registry
        .status()
        .putConditions(
            "shop",
            List.of(
                condition("web", "Running", Condition.Status.TRUE, T0),
                condition("web", "CertificateReady", Condition.Status.FALSE, T0)));

    List<Condition> stored =
        registry
            .status()
            .putConditions(
                "shop",
                List.of(
                    condition("web", "Running", Condition.Status.TRUE, T0.plusSeconds(60)),
                    condition(
                        "web", "CertificateReady", Condition.Status.TRUE, T0.plusSeconds(60))));

    assertThat(stored)
        .extracting(Condition::lastTransition)
        .containsExactly(T0, T0.plusSeconds(60));
    assertThat(registry.status().conditions("shop")).containsExactlyInAnyOrderElementsOf(stored);
  }

  @Test
  void ofTwoConditionsOfOneTypeInABatchTheLaterWinsAndSeesTheEarlier() {
    List<Condition> stored =
        registry
            .status()
            .putConditions(
                "shop",
                List.of(
                    condition("web", "Running", Condition.Status.FALSE, T0),
                    condition("web", "Running", Condition.Status.FALSE, T0.plusSeconds(5))));

    assertThat(stored.get(1).lastTransition()).isEqualTo(T0);
    assertThat(registry.status().conditions("shop")).containsExactly(stored.get(1));
  }

  @Test
  void putConditionsOfManyServicesKeepsEachTransitionTimeAndSkipsUndeclaredOnes() {
    registry
        .status()
        .putConditions("shop", List.of(condition("web", "Ready", Condition.Status.TRUE, T0)));

    int written =
        registry
            .status()
            .putConditions(
                Map.of(
                    "shop",
                    List.of(condition("web", "Ready", Condition.Status.TRUE, T0.plusSeconds(9))),
                    "blog",
                    List.of(condition("web", "Ready", Condition.Status.FALSE, T0.plusSeconds(9))),
                    "ghost",
                    List.of(condition("web", "Ready", Condition.Status.TRUE, T0))));

    assertThat(written).isEqualTo(2);
    assertThat(registry.status().conditions("shop"))
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.lastTransition()).isEqualTo(T0);
              assertThat(ready.message()).isEqualTo("message at " + T0.plusSeconds(9));
            });
    assertThat(registry.status().conditions("blog"))
        .extracting(Condition::lastTransition)
        .containsExactly(T0.plusSeconds(9));
    assertThat(registry.status().conditions("ghost")).isEmpty();
  }

  @Test
  void conditionsOfAnUndeclaredServiceAreSkipped() {
    assertThat(
            registry
                .status()
                .putConditions(
                    "ghost", List.of(condition("web", "Running", Condition.Status.TRUE, T0))))
        .isEmpty();
    assertThat(
            registry
                .status()
                .putCondition("ghost", condition("web", "Running", Condition.Status.TRUE, T0)))
        .isEmpty();
    assertThat(registry.status().conditions("ghost")).isEmpty();
  }

  // ---- events ----

  @Test
  void recordAllKeepsTheNewestEventsOfEachServiceInOrder() {
    List<NewEvent> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batch.add(new NewEvent("shop", "web", ServiceEvent.Type.WARNING, "BackOff", "restart " + i));
    }
    batch.add(new NewEvent("blog", null, ServiceEvent.Type.NORMAL, "Created", "created"));

    List<ServiceEvent> recorded = registry.events().recordAll(batch);

    assertThat(recorded).extracting(ServiceEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(recorded).hasSize(6);
    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::message)
        .containsExactly("restart 3", "restart 4", "restart 5");
    assertThat(registry.events().of("shop")).isEqualTo(recorded.subList(2, 5));
    assertThat(registry.events().of("blog")).containsExactly(recorded.get(5));
  }

  @Test
  void anEventRecordedAgainIsCountedInItsSeriesNotAddedToTheHistory() {
    ServiceEvent first =
        registry
            .events()
            .record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken")
            .orElseThrow();
    clock.advance(Duration.ofMinutes(2));

    ServiceEvent again =
        registry
            .events()
            .record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken")
            .orElseThrow();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.at()).isEqualTo(T0);
    assertThat(again.count()).isEqualTo(2);
    assertThat(again.lastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(registry.events().of("shop")).containsExactly(again);
  }

  @Test
  void aRepeatedEventMovesToTheEndOfTheHistoryAndKeepsTheRestInIt() {
    registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken");
    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Created", "created c1");
    for (int i = 0; i < 50; i++) {
      registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken");
    }

    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::reason, ServiceEvent::count)
        .containsExactly(tuple("Created", 1), tuple("Failed", 51));
    assertThat(registry.events().recent(1))
        .extracting(ServiceEvent::reason)
        .containsExactly("Failed");
  }

  @Test
  void repetitionsWithinOneBatchAreOneEventCountedInTheOrderOfTheLast() {
    NewEvent failed = new NewEvent("shop", "web", ServiceEvent.Type.WARNING, "Failed", "taken");
    NewEvent created = new NewEvent("shop", "web", ServiceEvent.Type.NORMAL, "Created", "c1");

    List<ServiceEvent> recorded = registry.events().recordAll(List.of(failed, created, failed));

    assertThat(recorded)
        .extracting(ServiceEvent::reason, ServiceEvent::count)
        .containsExactly(tuple("Created", 1), tuple("Failed", 2));
    assertThat(registry.events().of("shop")).isEqualTo(recorded);
  }

  @Test
  void eventsDifferingInServiceComponentTypeReasonOrMessageAreSeparateEvents() {
    try (Registry roomy = Registry.open(RegistryConfig.inMemory().withEventsPerService(10))) {
      roomy.services().apply(ApplyRequest.of(FILES, List.of(Specs.web("shop"), Specs.web("blog"))));
      EventStore events = roomy.events();
      events.record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "taken");
      events.record("blog", "web", ServiceEvent.Type.WARNING, "Failed", "taken");
      events.record("shop", null, ServiceEvent.Type.WARNING, "Failed", "taken");
      events.record("shop", "web", ServiceEvent.Type.NORMAL, "Failed", "taken");
      events.record("shop", "web", ServiceEvent.Type.WARNING, "BackOff", "taken");
      events.record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "in use");

      assertThat(events.recent(10)).hasSize(6).allMatch(event -> event.count() == 1);
    }
  }

  @Test
  void aSeriesTrimmedOutOfTheHistoryStartsAgainWhenItRepeats() {
    ServiceEvent old =
        registry
            .events()
            .record("shop", null, ServiceEvent.Type.WARNING, "Failed", "taken")
            .orElseThrow();
    for (int i = 1; i <= 5; i++) {
      registry.events().record("shop", null, ServiceEvent.Type.NORMAL, "Created", "c" + i);
    }

    ServiceEvent again =
        registry
            .events()
            .record("shop", null, ServiceEvent.Type.WARNING, "Failed", "taken")
            .orElseThrow();

    assertThat(again.id()).isGreaterThan(old.id());
    assertThat(again.count()).isEqualTo(1);
    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::message)
        .containsExactly("c4", "c5", "taken");
  }

  @Test
  void aSeriesOfADeletedServiceDoesNotCarryOverToItsNextLife() {
    registry.events().record("shop", null, ServiceEvent.Type.WARNING, "Failed", "taken");
    registry.services().delete("shop", null);
    registry.services().apply(ApplyRequest.of(FILES, List.of(Specs.web("shop"))));

    registry.events().record("shop", null, ServiceEvent.Type.WARNING, "Failed", "taken");

    assertThat(registry.events().of("shop"))
        .singleElement()
        .extracting(ServiceEvent::count)
        .isEqualTo(1);
  }

  @Test
  void eventsOfUndeclaredServicesAreSkippedAndTheRestRecorded() {
    List<ServiceEvent> recorded =
        registry
            .events()
            .recordAll(
                List.of(
                    new NewEvent("ghost", null, ServiceEvent.Type.NORMAL, "Created", "created"),
                    new NewEvent("shop", null, ServiceEvent.Type.NORMAL, "Created", "created")));

    assertThat(recorded).extracting(ServiceEvent::service).containsExactly("shop");
    assertThat(registry.events().record("ghost", null, ServiceEvent.Type.NORMAL, "Created", "x"))
        .isEmpty();
    assertThat(registry.events().of("ghost")).isEmpty();
  }

  @Test
  void aLongMessageIsRecordedShortenedAsStored() {
    ServiceEvent recorded =
        registry
            .events()
            .record("shop", null, ServiceEvent.Type.WARNING, "Failed", "x".repeat(5000))
            .orElseThrow();

    assertThat(recorded.message()).hasSize(2048).endsWith("...");
    assertThat(registry.events().of("shop")).containsExactly(recorded);
  }

  @Test
  void theFileHoldsAtMostAQuarterMoreThanTheKeptEvents() {
    try (Registry roomy = Registry.open(RegistryConfig.inMemory().withEventsPerService(8))) {
      roomy.services().apply(ApplyRequest.of(FILES, List.of(Specs.web("shop"))));
      for (int i = 1; i <= 30; i++) {
        roomy.events().record("shop", null, ServiceEvent.Type.WARNING, "BackOff", "restart " + i);

        assertThat(roomy.events().storedCount("shop")).isLessThanOrEqualTo(8 + 2);
        assertThat(roomy.events().of("shop"))
            .extracting(ServiceEvent::message)
            .endsWith("restart " + i)
            .hasSize(Math.min(i, 8));
      }
    }
  }

  @Test
  void aServiceDeclaredAgainStartsAFreshHistory() {
    registry.events().record("shop", null, ServiceEvent.Type.NORMAL, "Created", "first life");
    registry.services().delete("shop", null);
    registry.services().apply(ApplyRequest.of(FILES, List.of(Specs.web("shop"))));

    registry.events().record("shop", null, ServiceEvent.Type.NORMAL, "Created", "second life");

    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::message)
        .containsExactly("second life");
  }

  // ---- services deleted meanwhile ----

  @Test
  void aServiceDeletedWhileItsStateIsWrittenFailsNoBatchAndLeavesNoRows() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> churn =
          pool.submit(
              () -> {
                for (int i = 0; i < 60; i++) {
                  registry.services().apply(ApplyRequest.of("churn", List.of(Specs.web("short"))));
                  registry.services().delete("short", null);
                }
                return null;
              });
      Future<?> reporter =
          pool.submit(
              () -> {
                while (!churn.isDone()) {
                  registry
                      .status()
                      .putAll(
                          List.of(
                              status("short", "web", "running"), status("shop", "web", "running")));
                  registry
                      .status()
                      .putCondition(
                          "short", condition("web", "Running", Condition.Status.TRUE, T0));
                  registry
                      .events()
                      .recordAll(
                          List.of(
                              new NewEvent(
                                  "short", "web", ServiceEvent.Type.NORMAL, "Started", "s"),
                              new NewEvent(
                                  "shop", "web", ServiceEvent.Type.NORMAL, "Started", "s")));
                }
                return null;
              });
      churn.get(2, TimeUnit.MINUTES);
      reporter.get(1, TimeUnit.MINUTES); // no exception: no batch failed
    } finally {
      pool.shutdownNow();
    }

    assertThat(registry.services().get("short")).isEmpty();
    assertThat(registry.status().of("short")).isEmpty();
    assertThat(registry.status().conditions("short")).isEmpty();
    assertThat(registry.events().of("short")).isEmpty();
    assertThat(registry.status().of("shop")).hasSize(1);
  }

  private static ComponentStatus status(String service, String component, String state) {
    return new ComponentStatus(
        service,
        component,
        "container",
        state,
        "c0ffee",
        "r.example/web:1.0.0",
        "hash",
        1,
        null,
        T0,
        null,
        T0);
  }

  private static Condition condition(
      String component, String type, Condition.Status status, Instant at) {
    return new Condition(component, type, status, "Reason", "message at " + at, at);
  }
}
