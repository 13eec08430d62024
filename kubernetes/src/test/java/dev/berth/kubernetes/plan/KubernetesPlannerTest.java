package dev.berth.kubernetes.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.ComponentStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import dev.berth.kubernetes.resource.BerthServiceStatus.RouteStatus;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.status.ComponentState;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The mapping table of issue 14, one rule per case, with no cluster behind it. */
class KubernetesPlannerTest {

  static final String IMAGE = "registry.example.net/shop/web:1.0";
  static final RouteSpec HTTPS = new RouteSpec("https", 443, RouteMode.L7, "shop.example.net");
  static final RouteSpec MQTT = new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt.example.net");

  static ComponentSpec.Builder web() {
    return ComponentSpec.builder("web", RuntimeKind.CONTAINER)
        .image(IMAGE)
        .restart(RestartPolicy.ALWAYS);
  }

  static ServiceSpec shop(ComponentSpec... components) {
    return ServiceSpec.of("shop", components);
  }

  static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = of(objects, type);
    assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  /** The kinds of the objects a plan wants, in its order. */
  static List<String> kinds(KubernetesPlan plan) {
    return plan.desired().stream().map(ObjectRef::kind).toList();
  }

  static Condition condition(KubernetesPlan plan, String type) {
    return plan.status().conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Nested
  class AContainerComponent {

    @Test
    void becomesADeploymentOfOneReplicaReplacedWhole() {
      KubernetesPlan plan = Scene.of(shop(web().build())).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONVERGE);
      Deployment deployment = only(plan.writes(), Deployment.class);
      assertThat(deployment.getMetadata().getName()).isEqualTo("shop-web");
      assertThat(deployment.getMetadata().getNamespace()).isEqualTo(Scene.NAMESPACE);
      assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
      assertThat(container(deployment).getImage()).isEqualTo(IMAGE);
    }

    @Test
    void isLabelledWithItsServiceComponentSpecHashAndGeneration() {
      Scene scene = Scene.of(shop(web().build()));
      scene.generation = 7;

      Deployment deployment = only(scene.plan().writes(), Deployment.class);

      Map<String, String> labels = deployment.getMetadata().getLabels();
      assertThat(labels)
          .containsEntry("berth.dev/service", "shop")
          .containsEntry("berth.dev/component", "web")
          .containsEntry("berth.dev/generation", "7")
          .containsKey("berth.dev/spec-hash");
      assertThat(labels.get("berth.dev/spec-hash")).matches("[0-9a-f]{16}");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("berth.dev/spec-hash", labels.get("berth.dev/spec-hash"));
      assertThat(deployment.getSpec().getSelector().getMatchLabels())
          .containsOnly(
              Map.entry("berth.dev/service", "shop"), Map.entry("berth.dev/component", "web"));
    }

    @Test
    void isControlledByItsBerthService() {
      Deployment deployment = only(Scene.of(shop(web().build())).plan().writes(), Deployment.class);

      OwnerReference owner = deployment.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getApiVersion()).isEqualTo("berth.dev/v1alpha1");
      assertThat(owner.getKind()).isEqualTo("BerthService");
      assertThat(owner.getName()).isEqualTo("shop");
      assertThat(owner.getUid()).isEqualTo(Scene.UID);
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getBlockOwnerDeletion()).isTrue();
    }

    @Test
    void carriesItsImageArgsEnvUserResourcesAndLabels() {
      ComponentSpec component =
          web()
              .cmd("--listen", "0.0.0.0:8080")
              .env("LOG_LEVEL", "info")
              .env("GREETING", "hello=world")
              .user("1000:2000")
              .memoryMb(512)
              .vcpus(2)
              .label("team", "platform")
              .label("example.net/tier", "edge")
              .build();

      Deployment deployment = only(Scene.of(shop(component)).plan().writes(), Deployment.class);

      Container container = container(deployment);
      assertThat(container.getArgs()).containsExactly("--listen", "0.0.0.0:8080");
      assertThat(container.getEnv())
          .extracting(EnvVar::getName, EnvVar::getValue)
          .containsExactly(
              Tuple.tuple("LOG_LEVEL", "info"), Tuple.tuple("GREETING", "hello=world"));
      assertThat(container.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(container.getSecurityContext().getRunAsGroup()).isEqualTo(2000L);
      assertThat(container.getResources().getLimits())
          .containsOnly(
              Map.entry("memory", new Quantity("512Mi")), Map.entry("cpu", new Quantity("2")));
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("team", "platform")
          .containsEntry("example.net/tier", "edge");
    }

    @Test
    void aUidAloneSetsNoGroup() {
      Deployment deployment =
          only(Scene.of(shop(web().user("1000").build())).plan().writes(), Deployment.class);

      assertThat(container(deployment).getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(container(deployment).getSecurityContext().getRunAsGroup()).isNull();
    }

    @Test
    void withoutRoutesHasNoService() {
      assertThat(of(Scene.of(shop(web().build())).plan().writes(), Service.class)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"always", "unless-stopped"})
    void aRestartingPolicyIsWhatADeploymentDoes(String restart) {
      ComponentSpec component =
          web().restart(RestartPolicy.valueOf(restart.toUpperCase().replace('-', '_'))).build();

      assertThat(Scene.of(shop(component)).plan().kind()).isEqualTo(KubernetesPlan.Kind.CONVERGE);
    }
  }

  @Nested
  class Refusals {

    @ParameterizedTest
    @CsvSource({"PROCESS", "UNIKERNEL"})
    void aProcessOrVmIsRefusedAsARuntimeTheClusterHasNot(RuntimeKind runtime) {
      ComponentSpec other =
          runtime == RuntimeKind.PROCESS
              ? ComponentSpec.builder("worker", runtime)
                  .executable("/usr/bin/worker")
                  .restart(RestartPolicy.ALWAYS)
                  .build()
              : ComponentSpec.builder("worker", runtime)
                  .image("/var/lib/berth/images/worker.img")
                  .memoryMb(128)
                  .restart(RestartPolicy.ALWAYS)
                  .build();

      KubernetesPlan plan = Scene.of(shop(web().build(), other)).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(plan.desired()).isEmpty();
      assertThat(plan.writes()).isEmpty();
      Condition valid = condition(plan, "Valid");
      assertThat(valid.status()).isEqualTo("False");
      assertThat(valid.reason()).isEqualTo("RuntimeNotSupported");
      assertThat(valid.message())
          .startsWith("components[1].runtime: a cluster runs containers only");
      assertThat(condition(plan, "Ready").status()).isEqualTo("False");
    }

    @ParameterizedTest
    @CsvSource({"NO,no", "ON_FAILURE,on-failure"})
    void aRestartPolicyADeploymentCannotHonourIsRefused(RestartPolicy restart, String word) {
      KubernetesPlan plan = Scene.of(shop(web().restart(restart).build())).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      Condition valid = condition(plan, "Valid");
      assertThat(valid.reason()).isEqualTo("NotSupportedOnCluster");
      assertThat(valid.message())
          .isEqualTo(
              "components[0].restart: a Deployment always restarts its pod, so restart = \""
                  + word
                  + "\" cannot be honoured; declare \"always\" (or \"unless-stopped\")");
    }

    static Stream<Arguments> unsupported() {
      return Stream.of(
          Arguments.of(web().user("www-data").build(), "components[0].user"),
          Arguments.of(web().network("web-net").build(), "components[0].network"),
          Arguments.of(
              web().volumes(new VolumeMount("/srv/data", "/data", false)).build(),
              "components[0].volumes[0]"),
          Arguments.of(
              web().ports(new PortMapping(null, 9090, 9090)).build(), "components[0].ports[0]"),
          Arguments.of(
              web().routes(new RouteSpec("https", 8443, RouteMode.L7, "shop.example.net")).build(),
              "components[0].routes[0].port"),
          Arguments.of(web().label("a/b/c", "x").build(), "components[0].labels[\"a/b/c\"]"),
          Arguments.of(
              web().label("team", "x".repeat(64)).build(), "components[0].labels[\"team\"]"));
    }

    @ParameterizedTest
    @MethodSource("unsupported")
    void whatAClusterCannotHonourIsRefusedWithItsPath(ComponentSpec component, String path) {
      KubernetesPlan plan = Scene.of(shop(component)).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(plan.desired()).isEmpty();
      assertThat(condition(plan, "Valid").message()).startsWith(path + ": ");
    }

    @Test
    void anInvalidSpecWritesNothingAndNamesEveryViolation() {
      ComponentSpec broken =
          ComponentSpec.builder("Web", RuntimeKind.CONTAINER)
              .image("shop:latest")
              .restart(RestartPolicy.NO)
              .routes(new RouteSpec("https", 70000, RouteMode.L7, "shop.example.net"))
              .build();

      KubernetesPlan plan = Scene.of(shop(broken)).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(plan.desired()).isEmpty();
      assertThat(plan.writes()).isEmpty();
      assertThat(plan.deletions()).isEmpty();
      Condition valid = condition(plan, "Valid");
      assertThat(valid.reason()).isEqualTo("InvalidSpec");
      assertThat(valid.message())
          .startsWith("5 problems:")
          .contains("components[0].name: ")
          .contains("components[0].image: ")
          .contains("components[0].routes[0].port: must be 1..65535, was 70000")
          .contains("components[0].restart: ")
          .contains("components[0].routes[0].port: an l7 route is served by an Ingress");
    }

    @Test
    void aWordTheModelDoesNotKnowIsRefusedBeforeTheRules() {
      Scene scene = Scene.of(shop(web().build()));
      BerthServiceSpec.Component c = scene.spec.components().get(0);
      scene.spec =
          new BerthServiceSpec(
              null,
              "paused",
              null,
              List.of(
                  new BerthServiceSpec.Component(
                      c.name(),
                      "vm",
                      c.image(),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      c.restart(),
                      null,
                      null,
                      null,
                      null,
                      null)));

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(condition(plan, "Valid").reason()).isEqualTo("InvalidSpec");
      assertThat(condition(plan, "Valid").message())
          .contains("state: must be one of")
          .contains("components[0].runtime: must be one of");
    }

    @Test
    void aSpecOfEmptyEntriesIsRefusedWithoutAnError() {
      Scene scene = Scene.of(shop(web().build()));
      scene.spec =
          new BerthServiceSpec(
              null,
              null,
              null,
              List.of(
                  new BerthServiceSpec.Component(
                      null,
                      null,
                      null,
                      null,
                      null,
                      List.of(new BerthServiceSpec.Variable("A", null)),
                      List.of(new BerthServiceSpec.Mount(null, null, null)),
                      List.of(new BerthServiceSpec.PublishedPort(null, null, null)),
                      null,
                      null,
                      null,
                      null,
                      null,
                      List.of(new BerthServiceSpec.Route(null, null, null, null)),
                      new BerthServiceSpec.Health(null, null, null, null),
                      null)));

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(condition(plan, "Valid").message())
          .contains("components[0].name: must not be empty")
          .contains("components[0].image: ")
          .contains("components[0].routes[0].port: must be 1..65535, was 0")
          .contains("components[0].health.type: must be set")
          .contains("components[0].restart: ");
    }

    @Test
    void aRefusedSpecLeavesWhatRunsAndItsStatusAsTheyWere() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      scene.ready();
      scene.settle();
      List<ComponentStatus> before = scene.previous.components();

      scene.redeclare(shop(web().restart(RestartPolicy.NO).build()));
      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(plan.deletions()).isEmpty();
      assertThat(plan.status().components()).isEqualTo(before);
      assertThat(plan.status().observedGeneration()).isEqualTo(2L);
    }
  }

  @Nested
  class HealthProbes {

    static Stream<Arguments> probes() {
      return Stream.of(
          Arguments.of(new HealthProbe(ProbeType.TCP, 9000, null, null), "tcp", 9000),
          Arguments.of(new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz"), "http", 8080),
          Arguments.of(new HealthProbe(ProbeType.GRPC, 9095, null, "shop.Health"), "grpc", 9095));
    }

    @ParameterizedTest
    @MethodSource("probes")
    void aHealthProbeBecomesAReadinessProbeAtItsPortOrItsRoutesPort(
        HealthProbe health, String kind, int port) {
      ComponentSpec component = web().routes(HTTPS).health(health).build();

      Probe probe =
          container(only(Scene.of(shop(component)).plan().writes(), Deployment.class))
              .getReadinessProbe();

      switch (kind) {
        case "tcp" -> assertThat(probe.getTcpSocket().getPort()).isEqualTo(new IntOrString(port));
        case "http" -> {
          assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString(port));
          assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz");
        }
        default -> {
          assertThat(probe.getGrpc().getPort()).isEqualTo(port);
          assertThat(probe.getGrpc().getService()).isEqualTo("shop.Health");
        }
      }
    }

    @Test
    void aProbeWithoutLivenessIsAReadinessProbeOnlyAtKubeletsTiming() {
      Container container =
          container(
              only(
                  Scene.of(
                          shop(
                              web()
                                  .health(new HealthProbe(ProbeType.TCP, 9000, null, null))
                                  .build()))
                      .plan()
                      .writes(),
                  Deployment.class));

      assertThat(container.getLivenessProbe()).isNull();
      Probe readiness = container.getReadinessProbe();
      assertThat(readiness.getPeriodSeconds()).isEqualTo(10);
      assertThat(readiness.getTimeoutSeconds()).isEqualTo(1);
      assertThat(readiness.getInitialDelaySeconds()).isNull();
      assertThat(readiness.getFailureThreshold()).isNull();
    }

    /**
     * period, timeout, initial delay (ms) -> periodSeconds, timeoutSeconds, initialDelaySeconds.
     */
    @ParameterizedTest
    @CsvSource({
      "10000, 1000,    0, 10, 1,",
      " 2500,  200, 1500,  3, 1, 2",
      "  100,   10,    1,  1, 1, 1",
      "60000, 5000, 30000, 60, 5, 30"
    })
    void aLivenessProbeIsWrittenBesideTheReadinessProbeWithItsTimingInWholeSecondsRoundedUp(
        long period,
        long timeout,
        long delay,
        int periodSeconds,
        int timeoutSeconds,
        Integer delaySeconds) {
      HealthProbe health =
          new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz")
              .withLiveness(true)
              .withTiming(
                  Duration.ofMillis(period),
                  Duration.ofMillis(timeout),
                  7,
                  Duration.ofMillis(delay));

      Container container =
          container(
              only(
                  Scene.of(shop(web().routes(HTTPS).health(health).build())).plan().writes(),
                  Deployment.class));

      Probe liveness = container.getLivenessProbe();
      assertThat(liveness.getHttpGet().getPort()).isEqualTo(new IntOrString(8080));
      assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(liveness.getPeriodSeconds()).isEqualTo(periodSeconds);
      assertThat(liveness.getTimeoutSeconds()).isEqualTo(timeoutSeconds);
      assertThat(liveness.getInitialDelaySeconds()).isEqualTo(delaySeconds);
      assertThat(liveness.getFailureThreshold()).isEqualTo(7);
      Probe readiness = container.getReadinessProbe();
      assertThat(readiness.getHttpGet()).isEqualTo(liveness.getHttpGet());
      assertThat(readiness.getPeriodSeconds()).isEqualTo(periodSeconds);
      assertThat(readiness.getTimeoutSeconds()).isEqualTo(timeoutSeconds);
      assertThat(readiness.getInitialDelaySeconds()).isEqualTo(delaySeconds);
      assertThat(readiness.getFailureThreshold())
          .as("the threshold is what restarts; readiness keeps kubelet's")
          .isNull();
    }

    @Test
    void aPodThatIsNotReadyKeepsTheComponentStarting() {
      Scene scene =
          Scene.of(shop(web().health(new HealthProbe(ProbeType.TCP, 9000, null, null)).build()));
      scene.settle();

      KubernetesPlan plan = scene.plan();

      ComponentStatus web = plan.status().components().get(0);
      assertThat(web.state()).isEqualTo("starting");
      assertThat(web.reason()).isEqualTo("Starting");
      assertThat(web.message()).isEqualTo("its pod does not pass its readiness probe yet");
      assertThat(condition(plan, "Ready").status()).isEqualTo("False");
      assertThat(condition(plan, "Ready").reason()).isEqualTo("Progressing");
    }
  }

  @Nested
  class Updates {

    static Deployment deployment(ComponentSpec component) {
      return only(Scene.of(shop(component)).plan().writes(), Deployment.class);
    }

    @Test
    void aComponentWithoutRoutesIsRecreatedWithoutADrain() {
      Deployment deployment = deployment(web().build());

      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
      assertThat(deployment.getSpec().getStrategy().getRollingUpdate()).isNull();
      assertThat(container(deployment).getLifecycle()).isNull();
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .isNull();
    }

    @Test
    void aComponentWithARouteIsReplacedBesideOneNewPodAtATimeNoneUnavailable() {
      Deployment deployment = deployment(web().routes(HTTPS).build());

      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
          .isEqualTo(new IntOrString(1));
      assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
          .isEqualTo(new IntOrString(0));
    }

    @Test
    void besideTheOldPodDrainsInAPreStopSleepWithinItsGracePeriod() {
      Deployment deployment =
          deployment(
              web()
                  .routes(HTTPS)
                  .update(new UpdatePolicy(null, null, Duration.ofMillis(7500), false))
                  .build());

      assertThat(container(deployment).getLifecycle().getPreStop().getSleep().getSeconds())
          .isEqualTo(8L);
      assertThat(container(deployment).getLifecycle().getPreStop().getExec()).isNull();
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .isEqualTo(8L + 30L);
    }

    @Test
    void theDefaultDrainIsFiveSeconds() {
      Deployment deployment = deployment(web().routes(HTTPS).build());

      assertThat(container(deployment).getLifecycle().getPreStop().getSleep().getSeconds())
          .isEqualTo(5L);
    }

    @Test
    void aDrainOfZeroWritesNoPreStop() {
      Deployment deployment =
          deployment(
              web()
                  .routes(HTTPS)
                  .update(new UpdatePolicy(null, null, Duration.ZERO, false))
                  .build());

      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(container(deployment).getLifecycle()).isNull();
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .isNull();
    }

    @Test
    void aRoutedComponentDeclaredRecreateIsRecreatedWithoutADrain() {
      Deployment deployment =
          deployment(web().routes(HTTPS).update(UpdatePolicy.of(UpdateStrategy.RECREATE)).build());

      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
      assertThat(container(deployment).getLifecycle()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"60000, 60", "1500, 2", "3600000, 3600"})
    void theDeadlineIsTheProgressDeadlineInWholeSecondsRoundedUp(long deadline, int seconds) {
      Deployment deployment =
          deployment(
              web()
                  .update(new UpdatePolicy(null, Duration.ofMillis(deadline), null, false))
                  .build());

      assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(seconds);
    }

    @Test
    void aNewDeadlineRewritesTheDeploymentButNotItsPods() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      Deployment before = scene.observed.deployments().get(0);

      KubernetesPlan plan =
          scene
              .redeclare(
                  shop(
                      web()
                          .update(new UpdatePolicy(null, Duration.ofSeconds(120), null, false))
                          .build()))
              .plan();

      Deployment after = only(plan.writes(), Deployment.class);
      assertThat(after.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
      assertThat(after.getSpec().getTemplate().getMetadata().getLabels())
          .isEqualTo(before.getSpec().getTemplate().getMetadata().getLabels());
    }

    /** A routed service whose new spec's Deployment is written; the old pod is still ready. */
    static Scene besideUnderWay(DeploymentCondition... conditions) {
      Scene scene = Scene.of(shop(web().routes(HTTPS).build()));
      scene.settle();
      scene.ready();
      scene.redeclare(shop(web().image(IMAGE + "-next").routes(HTTPS).build()));
      scene.apply();
      for (Deployment deployment : scene.observed.deployments()) {
        deployment.setStatus(
            new DeploymentStatusBuilder()
                .withReplicas(2)
                .withUpdatedReplicas(1)
                .withReadyReplicas(1)
                .withConditions(conditions)
                .build());
      }
      return scene;
    }

    @Test
    void whileTheNewPodStartsBesideTheReadyOldOneTheComponentIsReplacingNotReady() {
      KubernetesPlan plan = besideUnderWay().plan();

      ComponentStatus web = plan.status().components().get(0);
      assertThat(web.state()).isEqualTo("replacing");
      assertThat(web.ready()).isFalse();
      assertThat(web.message()).isEqualTo("its new pod is starting beside the old one");
      assertThat(condition(plan, "Ready").status()).isEqualTo("False");
    }

    @Test
    void aRolloutPastItsDeadlineSaysSoAndThatTheOldPodKeepsServing() {
      KubernetesPlan plan =
          besideUnderWay(
                  new DeploymentConditionBuilder()
                      .withType("Progressing")
                      .withStatus("False")
                      .withReason("ProgressDeadlineExceeded")
                      .build())
              .plan();

      assertThat(plan.status().components().get(0).message())
          .isEqualTo(
              "its new pod did not become ready within update.deadline"
                  + " (ProgressDeadlineExceeded); the old one keeps serving");
    }

    @Test
    void onceOnlyTheNewPodIsLeftAndReadyTheComponentRuns() {
      Scene scene = besideUnderWay();
      scene.ready();

      assertThat(scene.plan().status().components().get(0).state()).isEqualTo("running");
    }

    @Test
    void autoRevertIsRefusedOnACluster() {
      KubernetesPlan plan =
          Scene.of(
                  shop(
                      web().routes(HTTPS).update(new UpdatePolicy(null, null, null, true)).build()))
              .plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(plan.writes()).isEmpty();
      assertThat(condition(plan, "Valid").reason()).isEqualTo("NotSupportedOnCluster");
      assertThat(condition(plan, "Valid").message())
          .contains("components[0].update.auto_revert: a Deployment whose rollout fails");
    }
  }

  @Nested
  class PodsOfTheCurrentSpec {

    static final String PULL_ERROR =
        "rpc error: code = NotFound desc = failed to pull and unpack image \""
            + IMAGE
            + "\": not found";

    /** A service whose Deployment is written and has no ready replica yet. */
    static Scene starting() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      return scene;
    }

    static Deployment deployment(Scene scene) {
      return scene.observed.deployments().get(0);
    }

    static ComponentStatus component(KubernetesPlan plan) {
      return plan.status().components().get(0);
    }

    static Stream<Arguments> kubeletsWords() {
      return Stream.of(
          Arguments.of(
              Pods.waiting("web", "ErrImagePull", PULL_ERROR),
              "ImageMissing",
              true,
              "its image " + IMAGE + " cannot be pulled: ErrImagePull (" + PULL_ERROR + ")",
              "Failed"),
          Arguments.of(
              Pods.waiting("web", "ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\""),
              "ImageMissing",
              true,
              "its image "
                  + IMAGE
                  + " cannot be pulled: ImagePullBackOff (Back-off pulling image \""
                  + IMAGE
                  + "\")",
              "Failed"),
          Arguments.of(
              Pods.waiting("web", "InvalidImageName", "couldn't parse image reference"),
              "ImageMissing",
              true,
              "its image "
                  + IMAGE
                  + " cannot be pulled: InvalidImageName (couldn't parse image reference)",
              "Failed"),
          Arguments.of(
              Pods.crashLooping("web", 5, 1, "Error"),
              "CrashLoopBackOff",
              false,
              "restarted 5 times (last exited with code 1)",
              "Failed"),
          Arguments.of(
              Pods.crashLooping("web", 2, 137, "OOMKilled"),
              "CrashLoopBackOff",
              false,
              "restarted 2 times (last killed by signal 9 (SIGKILL), OOMKilled)",
              "Failed"),
          Arguments.of(
              Pods.waiting(
                  "web",
                  "CreateContainerConfigError",
                  "container has runAsNonRoot and image will run as root"),
              "InvalidSpec",
              true,
              "kubelet cannot create its container: CreateContainerConfigError (container has"
                  + " runAsNonRoot and image will run as root)",
              "Failed"),
          Arguments.of(
              Pods.waiting("web", "CreateContainerError", "context deadline exceeded"),
              "RuntimeFailed",
              false,
              "kubelet cannot create its container: CreateContainerError (context deadline"
                  + " exceeded)",
              "Progressing"),
          Arguments.of(
              Pods.unschedulable("0/3 nodes are available: 3 Insufficient memory."),
              "pending",
              false,
              "no node takes its pod: 0/3 nodes are available: 3 Insufficient memory.",
              "Progressing"),
          Arguments.of(
              Pods.waiting("web", "ContainerCreating", null),
              "starting",
              false,
              "its pod is not ready yet",
              "Progressing"),
          Arguments.of(
              Pods.running("web", 0, false),
              "starting",
              false,
              "its pod is not ready yet",
              "Progressing"));
    }

    /** Those of kubelet's words that say why a pod does not run (not merely "not yet"). */
    static Stream<Arguments> kubeletsFailures() {
      return kubeletsWords().filter(row -> !"starting".equals(row.get()[1]));
    }

    @ParameterizedTest(name = "{1}: {3}")
    @MethodSource("kubeletsFailures")
    void docsKubernetesMdSaysWhatThePlannerSaysForEachOfKubeletsWords(
        PodStatus pod, String state, boolean terminal, String message, String serviceReady)
        throws java.io.IOException {
      String kubelets =
          pod.getContainerStatuses().isEmpty()
              ? pod.getConditions().get(0).getReason()
              : pod.getContainerStatuses().get(0).getState().getWaiting().getReason();
      String doc =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("..", "docs", "kubernetes.md"),
              java.nio.charset.StandardCharsets.UTF_8);

      assertThat(
              doc.lines()
                  .filter(line -> line.startsWith("| ") && line.contains("`" + kubelets + "`")))
          .as("the row of docs/kubernetes.md's pod table naming %s", kubelets)
          .singleElement()
          .satisfies(
              row ->
                  assertThat(row)
                      .contains("`" + state + "`")
                      .contains("`" + serviceReady + "`")
                      .contains(terminal ? "(terminal)" : "`"));
    }

    @ParameterizedTest(name = "{1}: {3}")
    @MethodSource("kubeletsWords")
    void aPodOfTheCurrentSpecSaysWhyItDoesNotRunInTheWordsOfANode(
        PodStatus pod, String state, boolean terminal, String message, String serviceReady) {
      Scene scene = starting();
      scene.holding(Pods.of(deployment(scene), "shop-web-7d4b9-x2x4p", pod));

      KubernetesPlan plan = scene.plan();

      ComponentStatus web = component(plan);
      assertThat(web.state()).isEqualTo(state);
      assertThat(web.reason()).isEqualTo(ComponentState.ofWire(state).orElseThrow().readyReason());
      assertThat(web.ready()).isFalse();
      assertThat(web.terminal()).isEqualTo(terminal);
      assertThat(web.message()).isEqualTo(message);
      assertThat(condition(plan, "Ready").status()).isEqualTo("False");
      assertThat(condition(plan, "Ready").reason()).isEqualTo(serviceReady);
      assertThat(plan.writes()).isEmpty();
    }

    @Test
    void aFailingComponentMakesReadyFailedNamingItsStateAndMessage() {
      Scene scene = starting();
      scene.holding(
          Pods.of(deployment(scene), "shop-web-1", Pods.crashLooping("web", 5, 1, "Error")));

      Condition ready = condition(scene.plan(), "Ready");

      assertThat(ready.reason()).isEqualTo("Failed");
      assertThat(ready.message())
          .isEqualTo("web: CrashLoopBackOff (restarted 5 times (last exited with code 1))");
    }

    @Test
    void aFailingPodOfAnOlderSpecSaysNothingOfTheCurrentOne() {
      Scene scene = starting();
      Pod old = Pods.of(deployment(scene), "shop-web-old", Pods.crashLooping("web", 9, 1, "Error"));
      scene.redeclare(shop(web().image("registry.example.net/shop/web:1.1").build())).settle();
      scene.holding(
          old,
          Pods.of(
              deployment(scene),
              "shop-web-new",
              "2026-12-02T09:59:50Z",
              Pods.waiting("web", "ContainerCreating", null)));

      ComponentStatus web = component(scene.plan());

      assertThat(web.state()).isEqualTo("starting");
      assertThat(web.message()).isEqualTo("its pod is not ready yet");
    }

    @Test
    void aReadyPodOfAnOlderSpecDoesNotHideTheCurrentOnesFailure() {
      Scene scene = starting();
      Pod old = Pods.of(deployment(scene), "shop-web-old", Pods.running("web", 0, true));
      scene.redeclare(shop(web().image("registry.example.net/shop/web:1.1").build())).settle();
      scene.holding(
          old,
          Pods.of(
              deployment(scene),
              "shop-web-new",
              "2026-12-02T09:59:50Z",
              Pods.waiting("web", "ErrImagePull", PULL_ERROR)));

      assertThat(component(scene.plan()).state()).isEqualTo("ImageMissing");
    }

    @Test
    void aPodThatRecoversClearsTheFailure() {
      Scene scene = starting();
      scene.holding(
          Pods.of(deployment(scene), "shop-web-1", Pods.crashLooping("web", 5, 1, "Error")));
      scene.apply();
      scene.observed =
          ObservedObjects.none()
              .with(scene.observed.all().toArray(HasMetadata[]::new))
              .with(Pods.of(deployment(scene), "shop-web-1", Pods.running("web", 5, true)));

      KubernetesPlan plan = scene.plan();

      assertThat(component(plan).state()).isEqualTo("starting");
      assertThat(condition(plan, "Ready").reason()).isEqualTo("Progressing");
      scene.ready();
      assertThat(component(scene.plan()).state()).isEqualTo("running");
      assertThat(condition(scene.plan(), "Ready").reason()).isEqualTo("Converged");
    }

    @Test
    void ofSeveralPodsOfTheCurrentSpecTheNewestDecides() {
      Scene scene = starting();
      scene.holding(
          Pods.of(
              deployment(scene),
              "shop-web-b",
              "2026-12-02T09:58:00Z",
              Pods.waiting("web", "ErrImagePull", PULL_ERROR)),
          Pods.of(
              deployment(scene),
              "shop-web-a",
              "2026-12-02T09:59:00Z",
              Pods.crashLooping("web", 1, 1, "Error")));

      assertThat(component(scene.plan()).state()).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void aReadyPodOfTheCurrentSpecOutweighsAFailingOne() {
      Scene scene = starting();
      scene.holding(
          Pods.of(
              deployment(scene),
              "shop-web-a",
              "2026-12-02T09:58:00Z",
              Pods.running("web", 0, true)),
          Pods.of(
              deployment(scene),
              "shop-web-b",
              "2026-12-02T09:59:00Z",
              Pods.waiting("web", "ErrImagePull", PULL_ERROR)));

      assertThat(component(scene.plan()).state()).isEqualTo("starting");
    }

    @Test
    void aPodBeingDeletedDecidesNothing() {
      Scene scene = starting();
      Pod leaving =
          Pods.of(
              deployment(scene),
              "shop-web-b",
              "2026-12-02T09:59:30Z",
              Pods.crashLooping("web", 3, 1, "Error"));
      leaving.getMetadata().setDeletionTimestamp("2026-12-02T09:59:40Z");
      scene.holding(
          leaving,
          Pods.of(
              deployment(scene),
              "shop-web-a",
              "2026-12-02T09:59:00Z",
              Pods.waiting("web", "ErrImagePull", PULL_ERROR)));

      assertThat(component(scene.plan()).state()).isEqualTo("ImageMissing");
    }

    @Test
    void aContainerThatIsNotTheComponentsSaysNothing() {
      Scene scene = starting();
      scene.holding(
          Pods.of(deployment(scene), "shop-web-1", Pods.crashLooping("mesh-proxy", 4, 1, "Error")));

      assertThat(component(scene.plan()).state()).isEqualTo("starting");
    }

    @Test
    void aPodOfAnotherComponentSaysNothing() {
      Scene scene = starting();
      Pod other =
          Pods.of(deployment(scene), "shop-worker-1", Pods.crashLooping("web", 4, 1, "Error"));
      other.getMetadata().getLabels().put(ClusterLabels.COMPONENT, "worker");
      scene.holding(other);

      assertThat(component(scene.plan()).state()).isEqualTo("starting");
    }

    @Test
    void anImagePullBackOffKeepsTheMessageOfThePullFailureBeforeIt() {
      Scene scene = starting();
      scene.holding(
          Pods.of(
              deployment(scene), "shop-web-1", Pods.waiting("web", "ErrImagePull", PULL_ERROR)));
      String pulled = scene.apply().status().components().get(0).message();
      scene.observed =
          ObservedObjects.none()
              .with(scene.observed.all().toArray(HasMetadata[]::new))
              .with(
                  Pods.of(
                      deployment(scene),
                      "shop-web-1",
                      Pods.waiting("web", "ImagePullBackOff", "Back-off pulling image")));

      KubernetesPlan plan = scene.plan();

      assertThat(component(plan).state()).isEqualTo("ImageMissing");
      assertThat(component(plan).message()).isEqualTo(pulled);
      assertThat(plan.status()).isEqualTo(scene.previous);
    }

    @Test
    void anUnchangedPodWritesNothingAndLeavesTheStatusAsItWas() {
      Scene scene = starting();
      scene.holding(
          Pods.of(deployment(scene), "shop-web-1", Pods.crashLooping("web", 5, 1, "Error")));
      scene.apply();
      scene.now = Scene.NOW.plus(Duration.ofMinutes(5));

      KubernetesPlan plan = scene.plan();

      assertThat(plan.idle()).isTrue();
      assertThat(plan.status()).isEqualTo(scene.previous);
    }

    @Test
    void aStoppedComponentIsStoppingWhateverItsPodsSay() {
      Scene scene = starting();
      scene.holding(
          Pods.of(deployment(scene), "shop-web-1", Pods.crashLooping("web", 5, 1, "Error")));
      scene.redeclare(shop(web().build()).withDesiredState(DesiredState.STOPPED));

      KubernetesPlan plan = scene.plan();

      assertThat(component(plan).state()).isEqualTo("stopping");
      assertThat(condition(plan, "Ready").reason()).isEqualTo("Progressing");
    }

    @Test
    void podsAreNeverWrittenOrDeleted() {
      Scene scene = starting();
      Pod pod = Pods.of(deployment(scene), "shop-web-1", Pods.running("web", 0, true));
      pod.getMetadata().setOwnerReferences(List.of(scene.owner().reference()));
      scene.holding(pod);

      assertThat(scene.plan().deletions()).isEmpty();
      assertThat(
              new KubernetesPlanner(scene.config)
                  .cleanup(scene.owner(), scene.observed)
                  .deletions())
          .noneMatch(o -> o instanceof Pod);
    }
  }

  @Nested
  class Routes {

    @Test
    void routesListenOnFixedContainerPortsNamedByTheSameVariablesAsOnANode() {
      ComponentSpec component = web().routes(HTTPS, MQTT).build();

      Container container =
          container(only(Scene.of(shop(component)).plan().writes(), Deployment.class));

      assertThat(container.getPorts())
          .extracting(p -> p.getName() + "=" + p.getContainerPort())
          .containsExactly("https=8080", "mqtt=8081");
      assertThat(container.getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .containsExactly("PORT_HTTPS=8080", "PORT_MQTT=8081");
    }

    @Test
    void aComponentWithOneRouteAlsoGetsPort() {
      Container container =
          container(
              only(Scene.of(shop(web().routes(HTTPS).build())).plan().writes(), Deployment.class));

      assertThat(container.getEnv())
          .extracting(e -> e.getName() + "=" + e.getValue())
          .containsExactly("PORT_HTTPS=8080", "PORT=8080");
    }

    @Test
    void aComponentWithRoutesGetsOneClusterIpServiceWithAPortPerRoute() {
      ComponentSpec api = web().routes(HTTPS, MQTT).build();
      ComponentSpec worker =
          ComponentSpec.builder("worker", RuntimeKind.CONTAINER)
              .image("registry.example.net/shop/worker:1.0")
              .restart(RestartPolicy.ALWAYS)
              .build();

      List<Service> services = of(Scene.of(shop(api, worker)).plan().writes(), Service.class);

      assertThat(services).hasSize(1);
      Service service = services.get(0);
      assertThat(service.getMetadata().getName()).isEqualTo("shop-web");
      assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(service.getSpec().getSelector())
          .containsOnly(
              Map.entry("berth.dev/service", "shop"), Map.entry("berth.dev/component", "web"));
      assertThat(service.getSpec().getPorts())
          .extracting(ServicePort::getName, ServicePort::getPort)
          .containsExactly(Tuple.tuple("https", 8080), Tuple.tuple("mqtt", 8081));
    }

    @Test
    void theFirstRoutePortIsTheOperatorsSetting() {
      Scene scene = Scene.of(shop(web().routes(HTTPS).build()));
      scene.config =
          new OperatorConfig(
              OperatorConfig.DEFAULT_GATEWAY,
              OperatorConfig.DEFAULT_CERTIFICATES,
              null,
              3000,
              null,
              false,
              OperatorConfig.DEFAULT_STAGE_RECHECK,
              OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
              OperatorConfig.DEFAULT_NO_EVENT_RECHECK);

      assertThat(
              container(only(scene.plan().writes(), Deployment.class))
                  .getPorts()
                  .get(0)
                  .getContainerPort())
          .isEqualTo(3000);
    }
  }

  @Nested
  class L7Routes {

    @Test
    void aCertManagerCertificateIsWrittenFirstWithTheConfiguredIssuer() {
      Scene scene =
          Scene.of(shop(web().routes(HTTPS).build()))
              .config(
                  OperatorConfig.DEFAULTS.withCertificates(
                      OperatorConfig.CertificateSource.certManager(
                          new OperatorConfig.IssuerRef("Issuer", "letsencrypt"))));

      KubernetesPlan plan = scene.plan();

      Certificate certificate = only(plan.writes(), Certificate.class);
      assertThat(certificate.getMetadata().getName()).isEqualTo("shop-web-https");
      assertThat(certificate.getSpec().getDnsNames()).containsExactly("shop.example.net");
      assertThat(certificate.getSpec().getSecretName()).isEqualTo("shop-web-https");
      assertThat(certificate.getSpec().getIssuerRef().getKind()).isEqualTo("Issuer");
      assertThat(certificate.getSpec().getIssuerRef().getName()).isEqualTo("letsencrypt");
      assertThat(certificate.getSpec().getIssuerRef().getGroup()).isEqualTo("cert-manager.io");
      assertThat(kinds(plan)).doesNotContain("Ingress");
    }

    @Test
    void theIngressWaitsUntilItsCertificateIsReady() {
      Scene scene = Scene.of(shop(web().routes(HTTPS).build()));
      scene.settle();

      KubernetesPlan waiting = scene.plan();

      assertThat(kinds(waiting)).doesNotContain("Ingress");
      RouteStatus route = waiting.status().routes().get(0);
      assertThat(route.served()).isFalse();
      assertThat(route.reason())
          .isEqualTo("waiting for its certificate: cert-manager has not issued it yet");
      assertThat(condition(waiting, "RouteReady").reason()).isEqualTo("WaitingForCertificate");
      assertThat(condition(waiting, "CertificateReady").reason()).isEqualTo("Pending");
    }

    @Test
    void aReadyCertificateBringsTheIngressWithItsSecret() {
      Scene scene = Scene.of(shop(web().routes(HTTPS).build()));
      scene.settle();
      scene.issue();

      KubernetesPlan plan = scene.plan();

      Ingress ingress = only(plan.writes(), Ingress.class);
      assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("shop-web-https");
      assertThat(ingress.getSpec().getTls().get(0).getHosts()).containsExactly("shop.example.net");
      var rule = ingress.getSpec().getRules().get(0);
      assertThat(rule.getHost()).isEqualTo("shop.example.net");
      var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
      assertThat(backend.getName()).isEqualTo("shop-web");
      assertThat(backend.getPort().getNumber()).isEqualTo(8080);
      assertThat(condition(plan, "CertificateReady").status()).isEqualTo("True");
    }

    @Test
    void withExistingSecretsTheIngressWaitsForAKubernetesTlsSecret() {
      Scene scene =
          Scene.of(shop(web().routes(HTTPS).build()))
              .config(
                  OperatorConfig.DEFAULTS.withCertificates(
                      OperatorConfig.CertificateSource.existingSecrets()));
      scene.settle();
      assertThat(kinds(scene.plan())).containsExactly("Deployment", "Service");
      assertThat(scene.plan().requeueAfter()).isEqualTo(OperatorConfig.DEFAULT_NO_EVENT_RECHECK);

      scene.holding(
          new SecretBuilder()
              .withNewMetadata()
              .withName("shop-web-https")
              .withNamespace(Scene.NAMESPACE)
              .endMetadata()
              .withType("kubernetes.io/tls")
              .withData(Map.of("tls.crt", "Y2VydA==", "tls.key", "a2V5"))
              .build());

      assertThat(
              only(scene.plan().writes(), Ingress.class).getSpec().getTls().get(0).getSecretName())
          .isEqualTo("shop-web-https");
    }

    @Test
    void aRouteWithoutHostnameIsServedUnderTheDefaultDomain() {
      Scene scene =
          Scene.of(shop(web().routes(new RouteSpec("https", 443, RouteMode.L7, null)).build()))
              .config(OperatorConfig.DEFAULTS.withDefaultDomain("apps.example.net"));

      assertThat(only(scene.plan().writes(), Certificate.class).getSpec().getDnsNames())
          .containsExactly("shop.apps.example.net");
    }

    @Test
    void aRouteWithoutHostnameIsRefusedWithoutADefaultDomain() {
      KubernetesPlan plan =
          Scene.of(shop(web().routes(new RouteSpec("https", 443, RouteMode.L7, null)).build()))
              .plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(condition(plan, "Valid").message())
          .startsWith("components[0].routes[0].hostname: an l7 route without a hostname");
    }
  }

  @Nested
  class L4Routes {

    @Test
    void aTlsRouteAttachesToTheConfiguredGatewayAtTheListenerPort() {
      Scene scene =
          Scene.of(shop(web().routes(MQTT).build()))
              .config(
                  OperatorConfig.DEFAULTS.withGateway(
                      new OperatorConfig.GatewayRef("gateways", "edge", "tls")));

      TLSRoute route = only(scene.plan().writes(), TLSRoute.class);

      assertThat(route.getMetadata().getName()).isEqualTo("shop-web-mqtt");
      var parent = route.getSpec().getParentRefs().get(0);
      assertThat(parent.getKind()).isEqualTo("Gateway");
      assertThat(parent.getNamespace()).isEqualTo("gateways");
      assertThat(parent.getName()).isEqualTo("edge");
      assertThat(parent.getSectionName()).isEqualTo("tls");
      assertThat(parent.getPort()).isEqualTo(8883);
      assertThat(route.getSpec().getHostnames()).containsExactly("mqtt.example.net");
      var backend = route.getSpec().getRules().get(0).getBackendRefs().get(0);
      assertThat(backend.getName()).isEqualTo("shop-web");
      assertThat(backend.getPort()).isEqualTo(8080);
    }

    @Test
    void anL4RouteWithoutHostnameTakesTheWholeListener() {
      TLSRoute route =
          only(
              Scene.of(
                      shop(
                          web()
                              .routes(new RouteSpec("default", 25565, RouteMode.L4, null))
                              .build()))
                  .plan()
                  .writes(),
              TLSRoute.class);

      assertThat(route.getSpec().getHostnames()).isNullOrEmpty();
    }

    @Test
    void withoutTheTlsRouteApiTheRouteIsNotServedAndTheRestRuns() {
      Scene scene = Scene.of(shop(web().routes(MQTT).build()));
      scene.observed = scene.observed.withTlsRouteApi(false);

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONVERGE);
      assertThat(kinds(plan)).containsExactly("Deployment", "Service");
      Condition routeReady = condition(plan, "RouteReady");
      assertThat(routeReady.status()).isEqualTo("False");
      assertThat(routeReady.reason()).isEqualTo("NoPassthroughGateway");
      assertThat(plan.status().routes().get(0).reason())
          .startsWith("the cluster has no TLSRoute API");
    }
  }

  @Nested
  class Stopping {

    @Test
    void routesAreRemovedFirstAndNothingElseMoves() {
      Scene scene = Scene.of(shop(web().routes(HTTPS, MQTT).build()));
      scene.settle();
      scene.issue().settle();
      scene.ready();

      scene.redeclare(
          shop(web().routes(HTTPS, MQTT).build()).withDesiredState(DesiredState.STOPPED));
      KubernetesPlan plan = scene.plan();

      assertThat(plan.writes()).isEmpty();
      assertThat(plan.deletions())
          .extracting(HasMetadata::getKind)
          .containsExactly("Ingress", "TLSRoute");
      assertThat(plan.requeueAfter()).isEqualTo(OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK);
      assertThat(plan.status().components().get(0).state()).isEqualTo("stopping");
    }

    @Test
    void onceRoutesAreGoneTheDeploymentGoesToZeroAndIsKept() {
      Scene scene = Scene.of(shop(web().routes(HTTPS).build()));
      scene.settle();
      scene.issue().settle();
      scene.redeclare(shop(web().routes(HTTPS).build()).withDesiredState(DesiredState.STOPPED));
      scene.apply(); // the routes go

      KubernetesPlan plan = scene.plan();

      Deployment deployment = only(plan.writes(), Deployment.class);
      assertThat(deployment.getSpec().getReplicas()).isZero();
      assertThat(plan.deletions()).isEmpty();
      assertThat(kinds(plan)).containsExactly("Deployment", "Service", "Certificate");
    }

    @Test
    void aStoppedServiceWithNoPodsLeftIsConverged() {
      Scene scene = Scene.of(shop(web().build()).withDesiredState(DesiredState.STOPPED));
      scene.settle();
      scene.ready(); // 0 of 0

      KubernetesPlan plan = scene.plan();

      assertThat(plan.idle()).isTrue();
      assertThat(plan.status().components().get(0).state()).isEqualTo("stopped");
      assertThat(condition(plan, "Ready").status()).isEqualTo("True");
      assertThat(condition(plan, "Ready").message()).isEqualTo("stopped, as declared");
    }
  }

  @Nested
  class Nodes {

    @Test
    void aServicePinnedToANodeSelectsItByHostname() {
      ServiceSpec pinned =
          new ServiceSpec(
              "shop",
              "node-1.example.net",
              DesiredState.RUNNING,
              null,
              List.of(
                  web()
                      .volumes(new VolumeMount("/srv/data", "/data", true))
                      .ports(new PortMapping("127.0.0.1", 9090, 9000))
                      .build()));

      Deployment deployment = only(Scene.of(pinned).plan().writes(), Deployment.class);

      var pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getNodeSelector())
          .containsOnly(Map.entry("kubernetes.io/hostname", "node-1.example.net"));
      assertThat(pod.getVolumes().get(0).getHostPath().getPath()).isEqualTo("/srv/data");
      assertThat(container(deployment).getVolumeMounts().get(0).getMountPath()).isEqualTo("/data");
      assertThat(container(deployment).getVolumeMounts().get(0).getReadOnly()).isTrue();
      var port = container(deployment).getPorts().get(0);
      assertThat(port.getHostPort()).isEqualTo(9090);
      assertThat(port.getHostIP()).isEqualTo("127.0.0.1");
      assertThat(port.getContainerPort()).isEqualTo(9000);
    }

    @Test
    void aServiceOnAnyNodeHasNoNodeSelector() {
      Deployment deployment = only(Scene.of(shop(web().build())).plan().writes(), Deployment.class);

      assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector()).isNull();
    }
  }

  @Nested
  class BootStages {

    @Test
    void aServiceItsStageDoesNotAdmitWritesNothingAndLooksAgain() {
      Scene scene = Scene.of(shop(web().build()));
      scene.admission = Admission.waitingFor("data", "postgres: not ready");

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.HELD);
      assertThat(plan.writes()).isEmpty();
      assertThat(plan.requeueAfter()).isEqualTo(OperatorConfig.DEFAULT_STAGE_RECHECK);
      Condition admitted = condition(plan, "Admitted");
      assertThat(admitted.status()).isEqualTo("False");
      assertThat(admitted.reason()).isEqualTo("WaitingForStage");
      assertThat(admitted.message()).isEqualTo("waits for boot stage data: postgres: not ready");
      ComponentStatus web = plan.status().components().get(0);
      assertThat(web.state()).isEqualTo("waiting");
      assertThat(web.reason()).isEqualTo("WaitingForStage");
    }

    @Test
    void aComponentThatRunsItsCurrentSpecShowsAsRunningWhileHeld() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      scene.ready();
      scene.admission = Admission.waitingFor("data", "postgres: not ready");

      assertThat(scene.plan().status().components().get(0).state()).isEqualTo("running");
    }
  }

  @Nested
  class WritingOnlyWhatDiffers {

    @Test
    void everyObjectWrittenCarriesItsHash() {
      KubernetesPlan plan = Scene.of(shop(web().routes(HTTPS, MQTT).build())).plan();

      assertThat(plan.desired())
          .extracting(ObjectRef::hash)
          .allMatch(h -> h.matches("[0-9a-f]{16}"));
      assertThat(plan.writes()).hasSameSizeAs(plan.desired());
      assertThat(plan.writes())
          .allSatisfy(
              object ->
                  assertThat(object.getMetadata().getAnnotations().get("berth.dev/object-hash"))
                      .matches("[0-9a-f]{16}"));
    }

    @Test
    void aClusterThatHoldsThePlanGetsNoWrites() {
      Scene scene = Scene.of(shop(web().routes(HTTPS, MQTT).build()));
      scene.settle();
      scene.issue().settle();
      scene.ready();

      KubernetesPlan plan = scene.plan();

      assertThat(plan.writes()).isEmpty();
      assertThat(plan.deletions()).isEmpty();
      assertThat(condition(plan, "Ready").status()).isEqualTo("True");
      assertThat(condition(plan, "Ready").reason()).isEqualTo("Converged");
      assertThat(plan.status().components().get(0).state()).isEqualTo("running");
      assertThat(plan.status().routes()).allMatch(RouteStatus::served);
    }

    @Test
    void aNewGenerationThatChangesNoObjectWritesNothing() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();

      scene.redeclare(shop(web().build()).withComment("a note for people"));

      assertThat(scene.plan().writes()).isEmpty();
    }

    @Test
    void aNewImageRewritesTheDeploymentAndTheComponentIsReplacing() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      scene.ready();

      scene.redeclare(shop(web().image("registry.example.net/shop/web:1.1").build()));
      KubernetesPlan plan = scene.plan();

      assertThat(plan.writes()).extracting(HasMetadata::getKind).containsExactly("Deployment");
      assertThat(plan.writes().get(0).getMetadata().getLabels())
          .containsEntry("berth.dev/generation", "2");
      assertThat(plan.status().components().get(0).state()).isEqualTo("replacing");
    }

    @Test
    void aDeletedObjectIsWrittenAgain() {
      Scene scene = Scene.of(shop(web().routes(MQTT).build()));
      scene.settle();
      scene.observed =
          new ObservedObjects(
              scene.observed.deployments(),
              List.of(),
              scene.observed.ingresses(),
              scene.observed.tlsRoutes(),
              scene.observed.certificates(),
              scene.observed.secrets(),
              scene.observed.pods(),
              true);

      assertThat(scene.plan().writes()).extracting(HasMetadata::getKind).containsExactly("Service");
    }

    @Test
    void theObjectsOfARemovedComponentAreDeleted() {
      ComponentSpec worker =
          ComponentSpec.builder("worker", RuntimeKind.CONTAINER)
              .image("registry.example.net/shop/worker:1.0")
              .restart(RestartPolicy.ALWAYS)
              .routes(MQTT)
              .build();
      Scene scene = Scene.of(shop(web().build(), worker));
      scene.settle();

      scene.redeclare(shop(web().build()));
      KubernetesPlan plan = scene.plan();

      assertThat(plan.deletions())
          .extracting(o -> o.getKind() + " " + o.getMetadata().getName())
          .containsExactly(
              "Deployment shop-worker", "Service shop-worker", "TLSRoute shop-worker-mqtt");
    }
  }

  @Nested
  class NameConflicts {

    static Service stranger(String name) {
      return new ServiceBuilder()
          .withMetadata(
              new ObjectMetaBuilder().withName(name).withNamespace(Scene.NAMESPACE).build())
          .build();
    }

    @Test
    void anObjectThatIsNotItsOwnAtANameItNeedsStopsEveryWrite() {
      Scene scene = Scene.of(shop(web().routes(MQTT).build())).holding(stranger("shop-web"));

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONFLICT);
      assertThat(plan.writes()).isEmpty();
      assertThat(plan.deletions()).isEmpty();
      assertThat(plan.requeueAfter()).isEqualTo(OperatorConfig.DEFAULT_NO_EVENT_RECHECK);
      Condition ready = condition(plan, "Ready");
      assertThat(ready.status()).isEqualTo("False");
      assertThat(ready.reason()).isEqualTo("NameConflict");
      assertThat(ready.message())
          .contains(
              "Service shop-web is not Berth's (no controller and no berth.dev/service label)");
    }

    @Test
    void anObjectOfAnotherBerthServiceIsNeverItsOwn() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle();
      Deployment theirs = Scene.copy(scene.observed.deployments().get(0));
      theirs.getMetadata().getOwnerReferences().get(0).setUid("another-uid");
      scene.observed = ObservedObjects.none().with(theirs);

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONFLICT);
      assertThat(condition(plan, "Ready").message())
          .contains("Deployment shop-web is controlled by BerthService shop");
    }

    @Test
    void aStrangerAtANameItDoesNotNeedIsLeftAlone() {
      Scene scene = Scene.of(shop(web().build())).holding(stranger("shop-old"));

      KubernetesPlan plan = scene.plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONVERGE);
      assertThat(plan.deletions()).isEmpty();
    }
  }

  @Nested
  class StatusConditions {

    @Test
    void aConditionKeepsItsTransitionTimeUntilItFlips() {
      Scene scene = Scene.of(shop(web().build()));
      scene.settle(); // Ready False at NOW
      scene.now = Scene.NOW.plus(Duration.ofMinutes(1));
      scene.apply(); // still False: the time stays

      assertThat(condition(scene.plan(), "Ready").lastTransitionTime())
          .isEqualTo("2026-12-02T10:00:00Z");

      scene.ready();
      scene.now = Scene.NOW.plus(Duration.ofMinutes(2));

      assertThat(condition(scene.plan(), "Ready").lastTransitionTime())
          .isEqualTo("2026-12-02T10:02:00Z");
      assertThat(condition(scene.plan(), "Valid").lastTransitionTime())
          .isEqualTo("2026-12-02T10:00:00Z");
    }

    @Test
    void statusSaysWhichGenerationItDescribes() {
      Scene scene = Scene.of(shop(web().build()));
      scene.generation = 4;

      BerthServiceStatus status = scene.plan().status();

      assertThat(status.observedGeneration()).isEqualTo(4L);
      assertThat(status.conditions())
          .extracting(Condition::type)
          .containsExactly("Valid", "Admitted", "Ready");
    }

    @Test
    void aNewComponentIsCreatingInTheWordsOfANode() {
      ComponentStatus web = Scene.of(shop(web().build())).plan().status().components().get(0);

      assertThat(web.name()).isEqualTo("web");
      assertThat(web.runtime()).isEqualTo("container");
      assertThat(web.state()).isEqualTo("creating");
      assertThat(web.reason()).isEqualTo("Creating");
      assertThat(web.ready()).isFalse();
      assertThat(web.image()).isEqualTo(IMAGE);
    }
  }

  @Nested
  class Names {

    @Test
    void aLongNameIsCutAndKeptApartByAHash() {
      String service = "s".repeat(40);
      String name = ObjectNames.component(service, "c".repeat(40));

      assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z]([-a-z0-9]*[a-z0-9])?");
      assertThat(name).isNotEqualTo(ObjectNames.component(service, "c".repeat(39) + "d"));
    }

    @Test
    void aNameStartingWithADigitGetsALetterFirst() {
      assertThat(ObjectNames.component("1shop", "web")).isEqualTo("b-1shop-web");
    }

    @Test
    void twoRoutesWhoseObjectsWouldShareANameAreRefused() {
      ComponentSpec a =
          web().routes(new RouteSpec("b-c", 8883, RouteMode.L4, "a.example.net")).build();
      ComponentSpec ab =
          ComponentSpec.builder("web-b", RuntimeKind.CONTAINER)
              .image(IMAGE)
              .restart(RestartPolicy.ALWAYS)
              .routes(new RouteSpec("c", 8883, RouteMode.L4, "b.example.net"))
              .build();

      KubernetesPlan plan = Scene.of(shop(a, ab)).plan();

      assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
      assertThat(condition(plan, "Valid").message())
          .contains("components[1].routes[0].name: its objects would be named shop-web-b-c");
    }
  }

  @Nested
  class Deleting {

    @Test
    void routesAreDeletedFirstThenTheRestAndThenTheFinalizerMayGo() {
      Scene scene = Scene.of(shop(web().routes(HTTPS, MQTT).build()));
      scene.settle();
      scene.issue().settle();
      KubernetesPlanner planner = new KubernetesPlanner(scene.config);

      CleanupPlan first = planner.cleanup(scene.owner(), scene.observed);
      assertThat(first.deletions())
          .extracting(HasMetadata::getKind)
          .containsExactly("Ingress", "TLSRoute");
      assertThat(first.complete()).isFalse();

      scene.observed =
          ObservedObjects.none()
              .with(
                  scene.observed.all().stream()
                      .filter(o -> !(o instanceof Ingress || o instanceof TLSRoute))
                      .toArray(HasMetadata[]::new));
      CleanupPlan second = planner.cleanup(scene.owner(), scene.observed);
      assertThat(second.deletions())
          .extracting(HasMetadata::getKind)
          .containsExactly("Certificate", "Deployment", "Service");

      assertThat(planner.cleanup(scene.owner(), ObservedObjects.none()).complete()).isTrue();
    }

    @Test
    void whatIsNotItsOwnIsNeverDeleted() {
      Scene scene = Scene.of(shop(web().build())).holding(NameConflicts.stranger("shop-web"));

      CleanupPlan plan = new KubernetesPlanner(scene.config).cleanup(scene.owner(), scene.observed);

      assertThat(plan.deletions()).isEmpty();
      assertThat(plan.complete()).isTrue();
    }
  }

  @Test
  void secretsAreNeverDeleted() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("shop-web-https")
            .withNamespace(Scene.NAMESPACE)
            .endMetadata()
            .build();

    assertThat(Scene.of(shop(web().build())).holding(secret).plan().deletions()).isEmpty();
  }
}
