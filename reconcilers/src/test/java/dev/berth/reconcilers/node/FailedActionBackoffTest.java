package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.controller.ControllerHealth;
import dev.berth.runtime.Workload;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed action waits out its backoff however often its service is reconciled meanwhile (as a
 * runtime's events about the failed attempt make it be), while the rest of the service is still
 * tended to. The backoff here is long (10 minutes), so nothing retries by the clock during a test:
 * what the test sees is what the extra reconciles did.
 */
class FailedActionBackoffTest {

  static final String IMAGE = "localhost/app:1.0";
  static final int TAKEN = 18_080;

  @TempDir Path data;
  Registry registry;
  FakeRuntime runtime;
  BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(data));
    runtime = new FakeRuntime().addImage(IMAGE);
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofHours(1))
            .statusFlushInterval(Duration.ZERO)
            .retryBackoff(Duration.ofMinutes(10), Duration.ofHours(1))
            .build();
    node.start();
    // Another service holds the host port that shop/web wants: shop/web's run fails PORT_TAKEN.
    apply(service("holder", component("web", TAKEN)));
    await().atMost(Duration.ofSeconds(5)).until(() -> running("holder", "web"));
  }

  @AfterEach
  void stop() {
    node.stop(Duration.ofSeconds(5));
    registry.close();
  }

  static ComponentSpec component(String name, int hostPort) {
    ComponentSpec.Builder builder =
        ComponentSpec.container(name, IMAGE).toBuilder().restart(RestartPolicy.ALWAYS);
    if (hostPort > 0) {
      builder.ports(new PortMapping("127.0.0.1", hostPort, 8080));
    }
    return builder.build();
  }

  static ServiceSpec service(String name, ComponentSpec... components) {
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(components));
  }

  void apply(ServiceSpec spec) {
    registry.services().apply(ApplyRequest.of("test", List.of(spec)));
  }

  boolean running(String service, String component) {
    return runtime.list().stream()
        .anyMatch(
            w -> w.running() && service.equals(w.service()) && component.equals(w.component()));
  }

  /** How many times a run of the service failed, as its events count them. */
  int runsOf(String service) {
    return registry.events().of(service).stream()
        .filter(e -> e.reason().equals("Failed"))
        .mapToInt(ServiceEvent::count)
        .sum();
  }

  /** As a runtime's events do: the service is enqueued again and again. */
  void reconcileRepeatedly(String service) {
    for (int i = 0; i < 20; i++) {
      node.serviceLoop().enqueue(service);
      await().atMost(Duration.ofSeconds(5)).until(this::idle);
    }
  }

  boolean idle() {
    ControllerHealth services =
        node.health().stream().filter(h -> h.controller().equals("services")).findFirst().get();
    return services.queueDepth() == 0 && services.inFlight() == 0;
  }

  @Test
  void aFailedRunIsNotTriedAgainBeforeItsBackoffHoweverOftenItsServiceIsReconciled() {
    apply(service("shop", component("web", TAKEN), component("db", 0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("shop") >= 1);

    reconcileRepeatedly("shop");

    assertThat(runsOf("shop")).isEqualTo(1);
    assertThat(registry.events().of("shop"))
        .filteredOn(e -> e.type() == ServiceEvent.Type.WARNING)
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.reason()).isEqualTo("Failed");
              assertThat(failed.message()).contains("create shop_web").contains("is taken");
            });
  }

  @Test
  void theServicesOtherComponentsAreTendedWhileOneWaitsOutItsBackoff() {
    apply(service("shop", component("web", TAKEN), component("db", 0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> running("shop", "db"));
    Workload db =
        runtime.list().stream().filter(w -> "db".equals(w.component())).findFirst().orElseThrow();

    runtime.killOutOfBand(db.id(), 1);

    await().atMost(Duration.ofSeconds(5)).until(() -> running("shop", "db"));
    assertThat(runsOf("shop")).isEqualTo(1);
  }

  @Test
  void recoverTriesAgainAtOnceAndTheRepeatedFailureIsCountedInOneEvent() {
    apply(service("shop", component("web", TAKEN)));
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("shop") == 1);

    node.recover();
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("shop") == 2);
    node.recover();
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("shop") == 3);

    assertThat(registry.events().of("shop"))
        .filteredOn(e -> e.reason().equals("Failed"))
        .singleElement()
        .satisfies(failed -> assertThat(failed.count()).isEqualTo(3));
  }

  @Test
  void aChangedDeclarationIsTriedAtOnce() {
    apply(service("shop", component("web", TAKEN)));
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("shop") == 1);

    apply(service("shop", component("web", TAKEN + 1)));

    await().atMost(Duration.ofSeconds(5)).until(() -> running("shop", "web"));
  }
}
