package dev.berth.kubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap on its own, with a reconciler that only writes observedGeneration: the operator
 * starts by hand on the mock server, patches the primary's status without server-side apply,
 * reports its health and stops.
 */
class OperatorBootstrapTest {

  private MockCluster cluster;
  private Operator operator;

  /** Writes the generation it saw into status, nothing else. */
  static final class GenerationEcho implements Reconciler<BerthService> {
    @Override
    public UpdateControl<BerthService> reconcile(
        BerthService resource, Context<BerthService> context) {
      BerthService patch = new BerthService();
      patch.setMetadata(
          new ObjectMetaBuilder()
              .withName(resource.getMetadata().getName())
              .withNamespace(resource.getMetadata().getNamespace())
              .withResourceVersion(resource.getMetadata().getResourceVersion())
              .build());
      patch.setStatus(
          new BerthServiceStatus(resource.getMetadata().getGeneration(), null, null, null));
      return UpdateControl.patchStatus(patch);
    }
  }

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    cluster.close();
  }

  @Test
  void theOperatorPatchesStatusWithoutServerSideApply() {
    operator =
        OperatorBootstrap.start(
            cluster.client,
            WatchedNamespaces.of("apps"),
            Duration.ofMinutes(10),
            new SimpleMeterRegistry(),
            new GenerationEcho());
    cluster.client.resource(service("apps", "web")).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(read("apps", "web").getStatus())
                    .extracting(BerthServiceStatus::observedGeneration)
                    .isEqualTo(1L));
    assertThat(cluster.writes())
        .extracting(r -> r.getHeader("Content-Type"))
        .noneMatch(type -> type != null && type.contains("apply-patch"));
  }

  @Test
  void aServiceOutsideTheWatchedNamespacesIsLeftAlone() {
    operator =
        OperatorBootstrap.start(
            cluster.client,
            WatchedNamespaces.of("apps"),
            Duration.ofMinutes(10),
            new SimpleMeterRegistry(),
            new GenerationEcho());
    cluster.client.resource(service("other", "web")).create();
    cluster.client.resource(service("apps", "api")).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> read("apps", "api").getStatus() != null);
    assertThat(read("other", "web").getStatus()).isNull();
  }

  @Test
  void aStartedOperatorIsHealthy() {
    operator =
        OperatorBootstrap.start(
            cluster.client,
            WatchedNamespaces.ALL,
            Duration.ofMinutes(10),
            new SimpleMeterRegistry(),
            new GenerationEcho());

    OperatorHealth health = OperatorBootstrap.health(operator);

    assertThat(health.started()).isTrue();
    assertThat(health.unhealthy()).isEmpty();
    assertThat(health.ready()).isTrue();
  }

  @Test
  void jOsdkMetricsGoToTheGivenRegistry() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    operator =
        OperatorBootstrap.start(
            cluster.client,
            WatchedNamespaces.ALL,
            Duration.ofMinutes(10),
            meters,
            new GenerationEcho());
    cluster.client.resource(service("apps", "web")).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> read("apps", "web").getStatus() != null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                meters.getMeters().stream()
                    .anyMatch(m -> m.getId().getName().startsWith("operator.sdk.reconciliations")));
  }

  static BerthService service(String namespace, String name) {
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    service.setSpec(new BerthServiceSpec(null, null, null, List.of()));
    return service;
  }

  private BerthService read(String namespace, String name) {
    return cluster.client.resources(BerthService.class).inNamespace(namespace).withName(name).get();
  }

  @Test
  void anInformerThatLosesItsWatchMakesTheOperatorUnready() {
    try (BerthOperator berth =
        BerthOperator.start(
            cluster.client,
            OperatorSettings.DEFAULTS.withNamespaces(WatchedNamespaces.of("apps")),
            new SimpleMeterRegistry())) {
      assertThat(berth.health().ready()).isTrue();

      cluster.server.shutdown();

      await().atMost(Duration.ofSeconds(30)).until(() -> !berth.health().ready());
      assertThat(berth.health().unhealthy())
          .isNotEmpty()
          .allMatch(line -> line.startsWith(OperatorBootstrap.CONTROLLER + "/"));
    }
  }
}
