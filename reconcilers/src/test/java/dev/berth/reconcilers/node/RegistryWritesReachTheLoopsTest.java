package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.Workload;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An embedder writes the registry and the node reacts: no call to the node after a write. The
 * resync and relist periods are an hour, so that nothing but the registry's own notification (or
 * the first pass at start) can make a loop look at a service within the test.
 */
class RegistryWritesReachTheLoopsTest {

  static final String IMAGE = "localhost/app:1.0";
  static final Duration SOON = Duration.ofSeconds(10);

  Registry registry;
  FakeRuntime runtime;
  SimpleMeterRegistry meters;
  BerthNode node;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.inMemory());
    runtime = new FakeRuntime().addImage(IMAGE);
    meters = new SimpleMeterRegistry();
  }

  @AfterEach
  void close() {
    if (node != null) {
      node.stop(Duration.ofSeconds(5));
    }
    registry.close();
  }

  void startNode() {
    node =
        BerthNode.builder(registry, runtime)
            .resyncPeriod(Duration.ofHours(1))
            .relistPeriod(Duration.ofHours(1))
            .statusFlushInterval(Duration.ZERO)
            .meterRegistry(meters)
            .build();
    node.start();
  }

  static ServiceSpec service(String name) {
    return ServiceSpec.of(name, ComponentSpec.container("web", IMAGE));
  }

  Set<String> running() {
    return runtime.list().stream()
        .filter(Workload::running)
        .map(Workload::service)
        .collect(Collectors.toSet());
  }

  /** Keys the service loop's queue was given, by anyone, since the node was built. */
  double serviceKeysAdded() {
    return meters.find("workqueue.adds").tag("name", "services").counter().count();
  }

  boolean idle() {
    return node.health().stream()
        .filter(loop -> loop.controller().equals("services"))
        .allMatch(loop -> loop.ready() && loop.queueDepth() == 0 && loop.inFlight() == 0);
  }

  @Test
  void anEmbeddersWritesToTheRegistryConvergeWithNoCallToTheNode() {
    startNode();
    await().atMost(SOON).until(node::ready);

    registry.services().apply(ApplyRequest.of("embedder", List.of(service("shop"))));
    await().atMost(SOON).until(() -> running().equals(Set.of("shop")));

    registry.services().setDesiredState("shop", DesiredState.STOPPED, null);
    await().atMost(SOON).until(() -> running().isEmpty());
    assertThat(runtime.list()).hasSize(1);

    registry.services().setDesiredState("shop", DesiredState.RUNNING, null);
    await().atMost(SOON).until(() -> running().equals(Set.of("shop")));

    registry
        .services()
        .apply(ApplyRequest.of("embedder", List.of(service("blog"))).withPrune(true));
    await().atMost(SOON).until(() -> running().equals(Set.of("blog")));
    assertThat(runtime.list()).hasSize(1);

    registry.services().delete("blog", null);
    await().atMost(SOON).until(() -> runtime.list().isEmpty());
  }

  @Test
  void whatWasDeclaredBeforeTheNodeStartedIsConvergedByItsFirstPass() {
    // Written while no node listens: nobody is told, and the first pass at start lists it.
    registry.services().apply(ApplyRequest.of("embedder", List.of(service("shop"))));

    startNode();

    await().atMost(SOON).until(() -> running().equals(Set.of("shop")));
  }

  @Test
  void aDryRunOrAWriteThatChangesNothingEnqueuesNothing() {
    startNode();
    registry.services().apply(ApplyRequest.of("embedder", List.of(service("shop"))));
    await().atMost(SOON).until(() -> running().equals(Set.of("shop")) && idle());
    double before = serviceKeysAdded();

    registry
        .services()
        .apply(
            ApplyRequest.of(
                    "embedder", List.of(service("shop").withComment("new"), service("blog")))
                .withDryRun(true));
    registry.services().apply(ApplyRequest.of("embedder", List.of(service("shop"))));
    registry.services().setDesiredState("shop", DesiredState.RUNNING, null);

    // The registry tells its subscribers before a write returns: whatever it told is counted now.
    assertThat(serviceKeysAdded()).isEqualTo(before);
    registry.services().apply(ApplyRequest.of("embedder", List.of(service("blog"))));
    // At least: the loop may already have created blog's workload, whose event enqueues it again.
    assertThat(serviceKeysAdded()).isGreaterThanOrEqualTo(before + 1);
    assertThat(registry.services().get("shop").orElseThrow().generation()).isEqualTo(1);
  }
}
