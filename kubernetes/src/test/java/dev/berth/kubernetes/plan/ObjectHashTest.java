package dev.berth.kubernetes.plan;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.berth.spec.model.VolumeMount;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The object hash is written from each builder's inputs, not from the object: whatever input
 * changes an object must change its hash too, or the cluster would keep the old object. Each case
 * changes one input, plans both versions against an empty cluster, and checks every object: where
 * its JSON differs, so does its hash.
 */
class ObjectHashTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static ComponentSpec.Builder web() {
    return ComponentSpec.builder("web", RuntimeKind.CONTAINER)
        .image("registry.example.net/shop/web:1.0")
        .restart(RestartPolicy.ALWAYS)
        .cmd("--a")
        .env("A", "1")
        .env("B", "2")
        .user("1000:1000")
        .memoryMb(256)
        .vcpus(1)
        .label("team", "shop")
        .volumes(new VolumeMount("/srv/a", "/a", false))
        .ports(new PortMapping("127.0.0.1", 9090, 9000))
        .routes(
            new RouteSpec("https", 443, RouteMode.L7, "shop.example.net"),
            new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt.example.net"))
        .health(probe())
        .update(new UpdatePolicy(null, Duration.ofSeconds(90), null, false));
  }

  /** A liveness probe with every timing away from its default (1500ms: 2 whole seconds). */
  static HealthProbe probe() {
    return new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz")
        .withLiveness(true)
        .withTiming(Duration.ofSeconds(5), Duration.ofSeconds(2), 4, Duration.ofMillis(1500));
  }

  static ServiceSpec pinned(ComponentSpec component) {
    return new ServiceSpec("shop", "node-1", DesiredState.RUNNING, null, List.of(component));
  }

  static final ServiceSpec BASE = pinned(web().build());

  static Stream<Arguments> changes() {
    return Stream.of(
        change("image", pinned(web().image("registry.example.net/shop/web:1.1").build())),
        change("cmd", pinned(web().cmd("--b").build())),
        change("env value", pinned(web().env("B", "3").build())),
        change("env order", pinned(web().env(Map.of()).env("B", "2").env("A", "1").build())),
        change("user", pinned(web().user("1001:1000").build())),
        change("group", pinned(web().user("1000").build())),
        change("memory", pinned(web().memoryMb(512).build())),
        change("vcpus", pinned(web().vcpus(2).build())),
        change("labels", pinned(web().label("tier", "edge").build())),
        change("volume", pinned(web().volumes(new VolumeMount("/srv/a", "/a", true)).build())),
        change("host port", pinned(web().ports(new PortMapping("127.0.0.1", 9091, 9000)).build())),
        change("host ip", pinned(web().ports(new PortMapping("127.0.0.2", 9090, 9000)).build())),
        change(
            "probe path",
            pinned(web().health(new HealthProbe(ProbeType.HTTP, 0, "https", "/ready")).build())),
        change(
            "probe type",
            pinned(web().health(new HealthProbe(ProbeType.TCP, 0, "mqtt", null)).build())),
        change("readiness only", pinned(web().health(probe().withLiveness(false)).build())),
        change(
            "probe period",
            pinned(web().health(timing(Duration.ofSeconds(6), null, 4, null)).build())),
        change(
            "probe timeout",
            pinned(web().health(timing(null, Duration.ofSeconds(3), 4, null)).build())),
        change("failure threshold", pinned(web().health(timing(null, null, 5, null)).build())),
        change(
            "initial delay",
            pinned(web().health(timing(null, null, 4, Duration.ofSeconds(3))).build())),
        change(
            "update deadline",
            pinned(
                web().update(new UpdatePolicy(null, Duration.ofSeconds(91), null, false)).build())),
        change("beside (no ports), its drain", pinned(web().ports(List.of()).build())),
        change(
            "drain",
            pinned(
                web()
                    .ports(List.of())
                    .update(new UpdatePolicy(null, null, Duration.ofSeconds(6), false))
                    .build())),
        change(
            "hostname",
            pinned(
                web()
                    .routes(
                        new RouteSpec("https", 443, RouteMode.L7, "www.example.net"),
                        new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt2.example.net"))
                    .build())),
        change(
            "listener port",
            pinned(
                web()
                    .routes(
                        new RouteSpec("https", 443, RouteMode.L7, "shop.example.net"),
                        new RouteSpec("mqtt", 8884, RouteMode.L4, "mqtt.example.net"))
                    .build())),
        change(
            "route order",
            pinned(
                web()
                    .routes(
                        new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt.example.net"),
                        new RouteSpec("https", 443, RouteMode.L7, "shop.example.net"))
                    .build())),
        change(
            "node",
            new ServiceSpec("shop", "node-2", DesiredState.RUNNING, null, List.of(web().build()))),
        change("stopped", BASE.withDesiredState(DesiredState.STOPPED)),
        config("ingress class", OperatorConfig.DEFAULTS.withIngressClassName("nginx")),
        config(
            "gateway",
            OperatorConfig.DEFAULTS.withGateway(
                new OperatorConfig.GatewayRef("gw", "edge", "tls"))),
        config(
            "issuer",
            OperatorConfig.DEFAULTS.withCertificates(
                OperatorConfig.CertificateSource.certManager(
                    new OperatorConfig.IssuerRef("Issuer", "other")))),
        config(
            "first route port",
            new OperatorConfig(
                OperatorConfig.DEFAULT_GATEWAY,
                OperatorConfig.DEFAULT_CERTIFICATES,
                null,
                7000,
                null,
                false,
                OperatorConfig.DEFAULT_STAGE_RECHECK,
                OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
                OperatorConfig.DEFAULT_NO_EVENT_RECHECK)),
        Arguments.of("owner uid", (Consumer<Scene>) scene -> scene.uid = "another-uid"));
  }

  /** {@link #probe()} with one timing changed; a null keeps the base's. */
  static HealthProbe timing(Duration period, Duration timeout, int threshold, Duration delay) {
    HealthProbe base = probe();
    return base.withTiming(
        period == null ? base.period() : period,
        timeout == null ? base.timeout() : timeout,
        threshold,
        delay == null ? base.initialDelay() : delay);
  }

  static Arguments change(String what, ServiceSpec spec) {
    return Arguments.of(what, (Consumer<Scene>) scene -> scene.declare(spec));
  }

  static Arguments config(String what, OperatorConfig config) {
    return Arguments.of(what, (Consumer<Scene>) scene -> scene.config(config));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void anInputThatChangesAnObjectChangesItsHash(String what, Consumer<Scene> change) {
    Map<String, HasMetadata> before = objects(scene());
    Scene changed = scene();
    change.accept(changed);
    Map<String, HasMetadata> after = objects(changed);

    int differing = 0;
    for (var entry : after.entrySet()) {
      HasMetadata old = before.get(entry.getKey());
      if (old == null) {
        continue;
      }
      if (!body(old).equals(body(entry.getValue()))) {
        differing++;
        assertThat(ObjectHash.of(entry.getValue()))
            .as("the hash of %s after a change of the %s", entry.getKey(), what)
            .isNotEqualTo(ObjectHash.of(old));
      }
    }
    assertThat(differing).as("objects the change of the %s changes", what).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void theSameInputsBuildTheSameObjects(String what, Consumer<Scene> change) {
    Scene once = scene();
    change.accept(once);
    Scene again = scene();
    change.accept(again);

    Map<String, HasMetadata> first = objects(once);
    Map<String, HasMetadata> second = objects(again);

    assertThat(second.keySet()).isEqualTo(first.keySet());
    first.forEach(
        (key, object) -> assertThat(JSON.asJson(second.get(key))).isEqualTo(JSON.asJson(object)));
  }

  /** A scene whose certificates are issued, so that every kind is built. */
  private static Scene scene() {
    return Scene.of(BASE);
  }

  /** Every object the scene's first plan writes, by kind and name, with its certificate issued. */
  private static Map<String, HasMetadata> objects(Scene scene) {
    scene.settle();
    scene.issue();
    scene.observed =
        ObservedObjects.none().with(scene.observed.certificates().toArray(HasMetadata[]::new));
    Map<String, HasMetadata> objects = new HashMap<>();
    for (HasMetadata object : scene.plan().writes()) {
      objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
    }
    for (HasMetadata object : scene.observed.certificates()) {
      objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
    }
    return objects;
  }

  /** The object without its hash and generation label, as the hash's inputs shape it. */
  private static String body(HasMetadata object) {
    HasMetadata copy = Scene.copy(object);
    copy.getMetadata().getAnnotations().remove(ClusterLabels.OBJECT_HASH);
    copy.getMetadata().getLabels().remove(ClusterLabels.GENERATION);
    return JSON.asJson(copy);
  }
}
