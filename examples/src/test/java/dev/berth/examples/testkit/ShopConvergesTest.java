package dev.berth.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.Workload;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.testkit.BerthExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an embedder tests with Berth's test kit: declare specs, converge on the fake runtime with a
 * manual clock, assert on workloads, status and events.
 */
class ShopConvergesTest {

  @RegisterExtension BerthExtension berth = new BerthExtension();

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
}
