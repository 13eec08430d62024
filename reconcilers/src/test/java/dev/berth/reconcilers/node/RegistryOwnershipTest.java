package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.Workload;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.IgnoredWorkload;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry manages only the workloads it made (they carry its id) and those of registries the
 * operator handed over to it. Another registry's workloads, as a registry made anew finds them, are
 * reported and never stopped, replaced or removed.
 */
class RegistryOwnershipTest {

  static final String IMAGE = "localhost/app:1.0";
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path first;
  @TempDir Path second;
  final FakeRuntime runtime = new FakeRuntime().addImage(IMAGE);
  Registry registry;
  BerthNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop(Duration.ofSeconds(5));
    }
    if (registry != null) {
      registry.close();
    }
  }

  void startOn(Path data) {
    registry = Registry.open(RegistryConfig.at(data));
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofMillis(100))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  void stopNode() {
    node.stop(Duration.ofSeconds(5));
    registry.close();
    node = null;
    registry = null;
  }

  void declare(ServiceSpec spec) {
    registry.services().apply(ApplyRequest.of("test", List.of(spec)));
  }

  static ServiceSpec service(String name) {
    return ServiceSpec.of(name, ComponentSpec.container("web", IMAGE));
  }

  /** A workload as another registry would have made it for {@code service}, generation 1. */
  Workload madeByAnotherRegistry(String service, String otherRegistry) {
    ServiceSpec spec = service(service);
    return runtime.run(
        WorkloadSpecs.of(service, 1, spec.components().get(0), Map.of())
            .withLabel(Labels.REGISTRY, otherRegistry));
  }

  Optional<Workload> running(String id) {
    return runtime.inspect(id).filter(Workload::running);
  }

  Optional<IgnoredWorkload> ignored(String id) {
    return registry.ignored().list().stream().filter(w -> w.id().equals(id)).findFirst();
  }

  /** Waits until a service declared after the fact runs: the loops went past everything else. */
  void awaitLoopsPassedBy() {
    declare(service("witness"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                runtime.list().stream()
                    .anyMatch(w -> "witness".equals(w.service()) && w.running()));
  }

  @Test
  void theWorkloadsItCreatesCarryItsRegistryId() {
    startOn(first);
    declare(service("shop"));
    await().atMost(WAIT).until(() -> runtime.list().stream().anyMatch(Workload::running));

    assertThat(runtime.list().get(0).labels())
        .containsEntry(Labels.REGISTRY, registry.identity().get().id());
  }

  @Test
  void aNewRegistryLeavesTheWorkloadsOfTheOneBeforeItRunningAndReportsThem() {
    startOn(first);
    String firstId = registry.identity().get().id();
    declare(service("shop"));
    await().atMost(WAIT).until(() -> runtime.list().stream().anyMatch(Workload::running));
    String shop = runtime.list().get(0).id();
    stopNode();

    startOn(second); // a registry made anew: it declares nothing
    await().atMost(WAIT).until(() -> ignored(shop).isPresent());
    awaitLoopsPassedBy();

    assertThat(running(shop)).as("the first registry's workload still runs").isPresent();
    assertThat(ignored(shop).orElseThrow().ownerRegistry()).isEqualTo(firstId);
  }

  @Test
  void anotherRegistrysWorkloadHoldingTheNameOfADeclaredComponentIsReportedAsNameInUse() {
    startOn(first);
    String other = UUID.randomUUID().toString();
    Workload stranger = madeByAnotherRegistry("shop", other);
    declare(service("shop"));

    await()
        .atMost(WAIT)
        .until(
            () -> registry.status().of("shop").stream().map(ComponentStatus::message).toList(),
            messages -> messages.stream().anyMatch(m -> m != null && m.contains("berth adopt")));
    assertThat(registry.status().of("shop").get(0).state()).isEqualTo("NameInUse");
    assertThat(running(stranger.id())).isPresent();
  }

  @Test
  void adoptingARegistryRemovesItsWorkloadsOfServicesNotDeclaredHere() {
    startOn(first);
    String other = UUID.randomUUID().toString();
    Workload old = madeByAnotherRegistry("old", other);
    await().atMost(WAIT).until(() -> ignored(old.id()).isPresent());

    BerthNode.Adoption adoption = node.adopt(other);

    assertThat(adoption.changed()).isTrue();
    assertThat(adoption.workloads()).isEqualTo(1);
    await().atMost(WAIT).until(() -> runtime.inspect(old.id()).isEmpty());
    assertThat(ignored(old.id())).isEmpty();
  }

  @Test
  void adoptingARegistryKeepsItsWorkloadOfADeclaredServiceWhoseSpecMatches() {
    startOn(first);
    String other = UUID.randomUUID().toString();
    Workload shop = madeByAnotherRegistry("shop", other);
    declare(service("shop"));
    await().atMost(WAIT).until(() -> ignored(shop.id()).isPresent());

    node.adopt(other);

    await()
        .atMost(WAIT)
        .until(
            () -> registry.status().of("shop").stream().map(ComponentStatus::workloadId).toList(),
            ids -> ids.equals(List.of(shop.id())));
    assertThat(running(shop.id())).isPresent();
    assertThat(runtime.list()).hasSize(1);
  }
}
