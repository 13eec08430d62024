package dev.berth.kubernetes.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner's objects as an API server takes them: fabric8's mock server in CRUD mode, the
 * checked-in CRD created first. What the plan writes is accepted and read back with its hash, so
 * that planning again against what the server holds writes nothing.
 */
@EnableKubernetesMockClient(crud = true)
class MockClusterRoundTripTest {

  static final String NAMESPACE = "apps";

  KubernetesClient client;

  @Test
  void whatAPlanWritesReadsBackAsUpToDate() throws IOException {
    try (InputStream crd =
        Files.newInputStream(
            Path.of("..", "deploy", "kubernetes", "berthservices.berth.dev-v1.yml"))) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(CustomResourceDefinition::getMetadata)
        .extracting(m -> m.getName())
        .containsExactly("berthservices.berth.dev");
    ServiceSpec spec =
        ServiceSpec.of(
            "shop",
            ComponentSpec.builder("web", RuntimeKind.CONTAINER)
                .image("registry.example.net/shop/web:1.0")
                .restart(RestartPolicy.ALWAYS)
                .env("B", "2")
                .env("A", "1")
                .routes(
                    new RouteSpec("https", 443, RouteMode.L7, "shop.example.net"),
                    new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt.example.net"))
                .build());
    BerthService created =
        client
            .resources(BerthService.class)
            .inNamespace(NAMESPACE)
            .resource(ServiceSpecMapping.toResource(spec))
            .create();
    assertThat(ServiceSpecMapping.toServiceSpec(created).spec()).isEqualTo(spec);

    KubernetesPlanner planner = new KubernetesPlanner(OperatorConfig.DEFAULTS);
    KubernetesPlan first = planner.plan(input(created, observed()));
    assertThat(first.writes())
        .extracting(HasMetadata::getKind)
        .containsExactly("Deployment", "Service", "Certificate", "TLSRoute");
    for (HasMetadata object : first.writes()) {
      client.resource(object).create();
    }

    KubernetesPlan again = planner.plan(input(created, observed()));

    assertThat(again.writes()).isEmpty();
    assertThat(again.deletions()).isEmpty();
    Deployment deployment =
        client.apps().deployments().inNamespace(NAMESPACE).withName("shop-web").get();
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry(ClusterLabels.OBJECT_HASH, first.desired().get(0).hash());
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName())
        .containsExactly("B", "A", "PORT_HTTPS", "PORT_MQTT");
  }

  @Test
  void theDeploymentWrittenCarriesTheProbesTimingAndTheRolloutOfTheResource() {
    ServiceSpec spec =
        ServiceSpec.of(
            "shop",
            ComponentSpec.builder("web", RuntimeKind.CONTAINER)
                .image("registry.example.net/shop/web:1.0")
                .restart(RestartPolicy.ALWAYS)
                .routes(new RouteSpec("https", 443, RouteMode.L7, "shop.example.net"))
                .health(
                    new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz")
                        .withLiveness(true)
                        .withTiming(
                            Duration.ofSeconds(4),
                            Duration.ofMillis(1500),
                            5,
                            Duration.ofSeconds(20)))
                .update(
                    new UpdatePolicy(
                        UpdateStrategy.BESIDE,
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(3),
                        false))
                .build());
    BerthService created =
        client
            .resources(BerthService.class)
            .inNamespace(NAMESPACE)
            .resource(ServiceSpecMapping.toResource(spec))
            .create();
    BerthService read =
        client.resources(BerthService.class).inNamespace(NAMESPACE).withName("shop").get();
    assertThat(ServiceSpecMapping.toServiceSpec(read).spec()).isEqualTo(spec);
    KubernetesPlanner planner = new KubernetesPlanner(OperatorConfig.DEFAULTS);
    for (HasMetadata object : planner.plan(input(created, observed())).writes()) {
      client.resource(object).create();
    }

    Deployment deployment =
        client.apps().deployments().inNamespace(NAMESPACE).withName("shop-web").get();

    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
        .isEqualTo(1);
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(0);
    assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(90);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(33L);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(3L);
    Probe liveness = container.getLivenessProbe();
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(liveness.getHttpGet().getPort().getIntVal()).isEqualTo(8080);
    assertThat(
            List.of(
                liveness.getPeriodSeconds(),
                liveness.getTimeoutSeconds(),
                liveness.getFailureThreshold(),
                liveness.getInitialDelaySeconds()))
        .containsExactly(4, 2, 5, 20);
    Probe readiness = container.getReadinessProbe();
    assertThat(
            List.of(
                readiness.getPeriodSeconds(),
                readiness.getTimeoutSeconds(),
                readiness.getInitialDelaySeconds()))
        .containsExactly(4, 2, 20);
    assertThat(planner.plan(input(created, observed())).writes()).isEmpty();
  }

  @Test
  void aCrashLoopingPodListedByItsServiceLabelReadsBackInTheWordsOfANode() {
    ServiceSpec spec =
        ServiceSpec.of(
            "shop",
            ComponentSpec.builder("web", RuntimeKind.CONTAINER)
                .image("registry.example.net/shop/web:1.0")
                .restart(RestartPolicy.ALWAYS)
                .build());
    BerthService resource = ServiceSpecMapping.toResource(spec);
    resource.getMetadata().setNamespace(NAMESPACE);
    resource.getMetadata().setUid("0b5e2f8a-1111-4c2d-9d3e-000000000002");
    resource.getMetadata().setGeneration(1L);
    KubernetesPlanner planner = new KubernetesPlanner(OperatorConfig.DEFAULTS);
    for (HasMetadata object : planner.plan(input(resource, observed())).writes()) {
      client.resource(object).create();
    }
    Deployment deployment =
        client.apps().deployments().inNamespace(NAMESPACE).withName("shop-web").get();
    client
        .resource(Pods.of(deployment, "shop-web-1", Pods.crashLooping("web", 3, 1, "Error")))
        .create();
    Pod stranger = Pods.of(deployment, "other-1", Pods.waiting("web", "ErrImagePull", "no"));
    stranger.getMetadata().setLabels(Map.of("app", "other"));
    client.resource(stranger).create();

    ObservedObjects observed = observed();
    KubernetesPlan plan = planner.plan(input(resource, observed));

    assertThat(observed.pods())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("shop-web-1");
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.status().components().get(0).state()).isEqualTo("CrashLoopBackOff");
    assertThat(plan.status().components().get(0).message())
        .isEqualTo("restarted 3 times (last exited with code 1)");
  }

  private PlanInput input(BerthService resource, ObservedObjects observed) {
    return PlanInput.of(
        resource, observed, Admission.GRANTED, Instant.parse("2026-12-02T10:00:00Z"));
  }

  /**
   * What the server holds in the namespace, of every kind the planner writes, and the pods labelled
   * for a service (the reconciler's pod informer selects them the same way).
   */
  private ObservedObjects observed() {
    return new ObservedObjects(
        client.apps().deployments().inNamespace(NAMESPACE).list().getItems(),
        client.services().inNamespace(NAMESPACE).list().getItems(),
        client.network().v1().ingresses().inNamespace(NAMESPACE).list().getItems(),
        client.resources(TLSRoute.class).inNamespace(NAMESPACE).list().getItems(),
        client.resources(Certificate.class).inNamespace(NAMESPACE).list().getItems(),
        client.secrets().inNamespace(NAMESPACE).list().getItems(),
        client.pods().inNamespace(NAMESPACE).withLabel(ClusterLabels.SERVICE).list().getItems(),
        true);
  }
}
