package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the registry holds besides declarations: ports, status, conditions, events, certificates.
 */
class NodeStateTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dataDirectory;
  private Registry registry;

  @BeforeEach
  void open() {
    registry =
        Registry.open(
            RegistryConfig.at(dataDirectory)
                .withEventsPerService(3)
                .withClock(Clock.fixed(T0, ZoneOffset.UTC)));
    registry
        .services()
        .apply(ApplyRequest.of("test", List.of(Specs.web("shop"), Specs.web("blog"))));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aRouteKeepsItsPortHoweverOftenItAsks() {
    PortKey key = new PortKey("shop", "web", "https");

    PortAllocation first = registry.ports().allocate(key, 20001);
    PortAllocation again = registry.ports().allocate(key, 20002);

    assertThat(again).isEqualTo(first);
    assertThat(registry.ports().get(key).orElseThrow().hostPort()).isEqualTo(20001);
  }

  @Test
  void aPortHeldByAnotherRouteIsRefused() {
    registry.ports().allocate(new PortKey("shop", "web", "https"), 20001);

    assertThatThrownBy(() -> registry.ports().allocate(new PortKey("blog", "web", "https"), 20001))
        .isInstanceOf(ConflictException.class)
        .hasMessage("host port 20001 is allocated to service shop, component web, route https");
  }

  @Test
  void portsSurviveAReplaceOfTheServiceAndGoWithItsDeletion() {
    PortKey key = new PortKey("shop", "web", "https");
    registry.ports().allocate(key, 20001);
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    Specs.web("shop")
                        .withComponents(
                            List.of(
                                Specs.web("shop")
                                    .components()
                                    .get(0)
                                    .withImage("r.example/web:2.0.0"))))));
    assertThat(registry.ports().get(key)).isPresent();

    registry.services().delete("shop", null);

    assertThat(registry.ports().get(key)).isEmpty();
    assertThat(registry.ports().allocate(new PortKey("blog", "web", "https"), 20001).hostPort())
        .isEqualTo(20001);
  }

  @Test
  void aPortCannotBeAllocatedToAnUndeclaredService() {
    assertThatThrownBy(() -> registry.ports().allocate(new PortKey("ghost", "web", "https"), 20001))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theLatestStatusOfEachComponentIsKept() {
    registry.status().put(status("shop", "web", "created", T0));
    registry.status().put(status("shop", "web", "running", T0.plusSeconds(5)));

    assertThat(registry.status().of("shop"))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo("running"));
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStaysTheSame() {
    Condition failing =
        new Condition(
            "web", "CertificateReady", Condition.Status.FALSE, "AcmeFailed", "rate limited", T0);
    registry.status().putCondition("shop", failing);

    Condition later =
        new Condition(
            "web",
            "CertificateReady",
            Condition.Status.FALSE,
            "AcmeFailed",
            "still rate limited",
            T0.plus(1, ChronoUnit.HOURS));
    Condition stored = registry.status().putCondition("shop", later).orElseThrow();

    assertThat(stored.lastTransition()).isEqualTo(T0);
    assertThat(stored.message()).isEqualTo("still rate limited");
    Condition fixed =
        new Condition(
            "web",
            "CertificateReady",
            Condition.Status.TRUE,
            "Issued",
            "valid",
            T0.plus(2, ChronoUnit.HOURS));
    assertThat(registry.status().putCondition("shop", fixed).orElseThrow().lastTransition())
        .isEqualTo(T0.plus(2, ChronoUnit.HOURS));
    assertThat(registry.status().conditions("shop")).containsExactly(fixed);
  }

  @Test
  void theEventHistoryOfAServiceIsBounded() {
    for (int i = 1; i <= 5; i++) {
      registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "BackOff", "restart " + i);
    }
    registry.events().record("blog", null, ServiceEvent.Type.NORMAL, "Created", "created");

    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::message)
        .containsExactly("restart 3", "restart 4", "restart 5");
    assertThat(registry.events().of("blog")).hasSize(1);
  }

  @Test
  void theRegistryFileIsReadableByItsOwnerOnly() throws Exception {
    assertThat(java.nio.file.Files.getPosixFilePermissions(dataDirectory.resolve("registry.mv.db")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theNewestEventsOfAllServicesComeOldestFirst() {
    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Created", "one");
    registry.events().record("blog", null, ServiceEvent.Type.NORMAL, "Created", "two");
    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Started", "three");

    assertThat(registry.events().recent(2))
        .extracting(ServiceEvent::message)
        .containsExactly("two", "three");
  }

  @Test
  void aSubscriberHearsOfEachCommittedEventUntilItUnsubscribes() throws Exception {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    AutoCloseable subscription = registry.events().subscribe(event -> heard.add(event.message()));

    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Started", "heard");
    registry.events().record("ghost", null, ServiceEvent.Type.NORMAL, "Started", "undeclared");
    subscription.close();
    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Stopped", "after");

    assertThat(heard).containsExactly("heard");
  }

  @Test
  void aFailingSubscriberDoesNotFailTheRecording() {
    registry
        .events()
        .subscribe(
            event -> {
              throw new IllegalStateException("watcher broke");
            });

    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Started", "kept");

    assertThat(registry.events().of("shop")).extracting(ServiceEvent::message).contains("kept");
  }

  @Test
  void stateOfADeletedServiceGoesWithIt() {
    registry.status().put(status("shop", "web", "running", T0));
    registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Started", "started");

    registry.services().delete("shop", null);

    assertThat(registry.status().of("shop")).isEmpty();
    assertThat(registry.events().of("shop")).isEmpty();
  }

  @Test
  void statusForAnUndeclaredServiceIsSkipped() {
    assertThat(registry.status().put(status("ghost", "web", "running", T0))).isFalse();

    assertThat(registry.status().of("ghost")).isEmpty();
  }

  @Test
  void certificatesAreKeptByName() {
    CertificateRecord certificate =
        new CertificateRecord(
            "shop.example.com",
            List.of("shop.example.com", "www.shop.example.com"),
            "acme",
            "valid",
            "0a1b",
            T0,
            T0.plus(90, ChronoUnit.DAYS),
            "ab:cd",
            "/data/certs/shop.pem",
            "/data/certs/shop.key",
            null,
            T0);

    registry.certificates().put(certificate);

    assertThat(registry.certificates().get("shop.example.com")).contains(certificate);
    assertThat(registry.certificates().list()).containsExactly(certificate);
  }

  private static ComponentStatus status(
      String service, String component, String state, Instant at) {
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
        at,
        null,
        at);
  }
}
