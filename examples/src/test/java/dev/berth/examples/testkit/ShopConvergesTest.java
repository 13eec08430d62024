package dev.berth.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.controller.Controller;
import dev.berth.core.reconcile.Result;
import dev.berth.runtime.Workload;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.testkit.BerthExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an embedder tests with Berth's test kit: declare specs, converge on the fake runtime with a
 * manual clock, assert on workloads, status and events; and run a loop of its own beside Berth's.
 */
class ShopConvergesTest {

  /**
   * The embedder's own state and loop: a shop's storefront is published once its web component
   * runs, read from Berth's registry as any reconciler of the embedder's would.
   */
  final Map<String, String> storefronts = new ConcurrentHashMap<>();

  Controller<String> publisher;

  @RegisterExtension
  BerthExtension berth =
      new BerthExtension(
          node ->
              node.controller(
                  Controller.builder("storefronts", this::publish), built -> publisher = built));

  /** The embedder's reconciler: level-triggered, it reads what Berth reports of the shop. */
  Result publish(String shop) {
    boolean running =
        berth.kit().status(shop).stream()
            .anyMatch(s -> s.component().equals("web") && s.state().equals("running"));
    if (!running) {
      return Result.requeueAfter(Duration.ofSeconds(2));
    }
    storefronts.put(shop, "published");
    return Result.done();
  }

  static final ServiceSpec SHOP =
      ServiceSpec.of(
          "shop",
          ComponentSpec.container("web", "localhost/shop-web:1.4").toBuilder()
              .restart(RestartPolicy.ALWAYS)
              .build(),
          ComponentSpec.container("db", "localhost/postgres:16"));

  @Test
  void theShopRunsBothComponentsAndRecoversWhenTheRuntimeLosesThem() {
    berth.kit().declare(SHOP).converge();
    assertThat(berth.kit().workloads())
        .extracting(Workload::component)
        .containsExactlyInAnyOrder("web", "db");

    berth.kit().runtime().loseState();
    berth.kit().node().recover();
    berth.kit().converge();

    assertThat(berth.kit().workloads()).hasSize(2).allMatch(Workload::running);
    assertThat(berth.kit().events("shop"))
        .filteredOn(e -> e.reason().equals("Created"))
        .extracting(ServiceEvent::component)
        .containsExactlyInAnyOrder("web", "db");
    // Gone behind Berth's back, so created again, and said so.
    assertThat(berth.kit().events("shop"))
        .filteredOn(e -> e.reason().equals("Recreated"))
        .extracting(ServiceEvent::component)
        .containsExactlyInAnyOrder("web", "db");
  }

  @Test
  void theEmbeddersOwnLoopPublishesTheStorefrontOnceBerthRunsTheShop() {
    berth.kit().declare(SHOP);
    publisher.enqueue("shop"); // what the embedder's own watch would do

    berth.kit().convergeUntilIdle();

    assertThat(berth.kit().workload("shop", "web"))
        .hasValueSatisfying(w -> assertThat(w.running()).isTrue());
    assertThat(storefronts).containsEntry("shop", "published");
  }
}
