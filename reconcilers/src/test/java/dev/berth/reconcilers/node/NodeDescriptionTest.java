package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.describe.ComponentDescription;
import dev.berth.reconcilers.describe.ServiceDescription;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read model of a node, as an embedder gets it from {@code BerthNode} without the runner: only
 * what this node observed shows as current.
 */
class NodeDescriptionTest {

  static final String IMAGE = "localhost/app:1.4";
  static final Instant EARLIER = Instant.parse("2026-11-01T08:00:00Z");

  @TempDir Path data;
  Registry registry;
  BerthNode node;

  @BeforeEach
  void declareWithAnEarlierAgentsStatus() {
    registry = Registry.open(RegistryConfig.at(data));
    ComponentSpec web =
        ComponentSpec.container("web", IMAGE).toBuilder()
            .ports(List.of(new PortMapping("127.0.0.1", 18080, 8080)))
            .build();
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(new ServiceSpec("shop", null, DesiredState.RUNNING, null, List.of(web)))));
    registry
        .status()
        .putAll(
            List.of(
                new ComponentStatus(
                    "shop",
                    "web",
                    "container",
                    "running",
                    "gone-0001",
                    IMAGE,
                    "hash",
                    1,
                    null,
                    EARLIER,
                    null,
                    EARLIER)));
    registry
        .status()
        .putCondition(
            "shop",
            new Condition("web", "Ready", Condition.Status.TRUE, "Running", "fine", EARLIER));
    node =
        BerthNode.builder(registry, new FakeRuntime().addImage(IMAGE))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
  }

  @AfterEach
  void stop() {
    node.stop(Duration.ofSeconds(5));
    registry.close();
  }

  @Test
  void aServiceTheNodeHasNotObservedIsPendingSayingWhatAnEarlierAgentSaw() {
    ServiceDescription shop = node.describe("shop", 10).orElseThrow();

    ComponentDescription web = shop.components().get(0);
    assertThat(web.state()).isEqualTo("pending");
    assertThat(web.workloadId()).isNull();
    assertThat(web.uptime()).isNull();
    assertThat(web.message())
        .isEqualTo(
            "not observed by this agent yet (the node's workloads have not been listed yet); an"
                + " earlier agent last saw it running at 2026-11-01T08:00:00Z");
    assertThat(web.ports())
        .singleElement()
        .satisfies(p -> assertThat(p.hostPort()).isEqualTo(18080));
    assertThat(shop.conditions())
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.status()).isEqualTo(Condition.Status.UNKNOWN);
              assertThat(ready.reason()).isEqualTo("NotObserved");
              assertThat(ready.message()).endsWith("an earlier agent said True: Running");
            });
    assertThat(node.summary().componentsByState()).isEqualTo(Map.of("pending", 1));
  }

  @Test
  void onceObservedAServiceIsDescribedAsItRunsAndTheSummaryCountsIt() {
    node.start();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              ServiceDescription shop = node.describe("shop", 10).orElseThrow();
              ComponentDescription web = shop.components().get(0);
              assertThat(web.state()).isEqualTo("running");
              assertThat(web.workloadId()).isNotEqualTo("gone-0001");
              assertThat(web.version()).isEqualTo("1.4");
              assertThat(web.uptime()).isNotNull();
              assertThat(shop.conditions())
                  .extracting(c -> c.type() + "=" + c.status().wire())
                  .containsExactlyInAnyOrder("Ready=True", "Converged=True");
            });
    assertThat(node.summary().componentsByState()).isEqualTo(Map.of("running", 1));
    assertThat(node.summary().services()).isEqualTo(1);
    assertThat(node.describe("unknown", 10)).isEmpty();
  }
}
