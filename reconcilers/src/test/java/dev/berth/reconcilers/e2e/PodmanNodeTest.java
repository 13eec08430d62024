package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.runtime.Workload;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.runtime.podman.PodmanTestEnvironment;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers: three services in two boot stages on podman. The first stage's database takes a
 * second before it answers, so the second stage can only start after it. Then every container is
 * removed behind Berth's back, as when podman loses its database: all come back, in the same order,
 * on the same host ports, from the image already on the node (no registry is reachable).
 */
class PodmanNodeTest {

  /** How long the database waits before it listens: the gap the stages must respect. */
  static final Duration DB_WARM_UP = Duration.ofSeconds(2);

  @TempDir Path root;
  EdgeFixture edge;
  PodmanTestEnvironment podman;
  PodmanRuntime runtime;
  Registry registry;
  StandardProber prober;
  BerthNode node;
  String db;
  String shop;
  String blog;

  @BeforeEach
  void start() throws Exception {
    podman = PodmanTestEnvironment.start();
    edge = EdgeFixture.start(root);
    runtime = new PodmanRuntime(podman.config());
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    prober = new StandardProber();
    String run = UUID.randomUUID().toString().substring(0, 6);
    db = "db-" + run;
    shop = "shop-" + run;
    blog = "blog-" + run;
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    website(db, "sleep " + DB_WARM_UP.toSeconds() + "; ", RouteMode.L4),
                    website(shop, "", RouteMode.L7),
                    website(blog, "", RouteMode.L4))));
    node =
        edge.wire(BerthNode.builder(registry, runtime), registry)
            .stages(
                List.of(
                    new BootStage("data", List.of(db), Duration.ofMinutes(2), null, true),
                    new BootStage("apps", List.of(shop, blog), Duration.ofMinutes(2), null, true)),
                prober)
            .relistPeriod(Duration.ofSeconds(2))
            .statusFlushInterval(Duration.ofMillis(50))
            .build();
    node.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.stop(Duration.ofSeconds(20));
    }
    if (podman != null) {
      for (String service : List.of(db, shop, blog)) {
        podman.host().removeContainersLabelled(Labels.SERVICE, service);
      }
    }
    if (prober != null) {
      prober.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (podman != null) {
      podman.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  /**
   * busybox httpd on the route's port, after {@code warmUp} (a shell prefix); an L7 route's name is
   * public, so its certificate comes from the ACME server.
   */
  ServiceSpec website(String name, String warmUp, RouteMode mode) {
    ComponentSpec web =
        ComponentSpec.container("web", podman.image()).toBuilder()
            .cmd("sh", "-c", warmUp + "exec httpd -f -p $PORT -h /www")
            .routes(new RouteSpec("http", edge.listener(), mode, hostname(name, mode)))
            .health(new HealthProbe(ProbeType.HTTP, 0, "http", "/"))
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(web));
  }

  static String hostname(String service, RouteMode mode) {
    return service + (mode == RouteMode.L7 ? ".example.com" : ".berth.test");
  }

  Map<String, Workload> running() {
    return runtime.list().stream()
        .filter(w -> w.running() && List.of(db, shop, blog).contains(w.service()))
        .collect(Collectors.toMap(Workload::service, w -> w));
  }

  int port(String service) {
    return registry.ports().get(new PortKey(service, "web", "http")).orElseThrow().hostPort();
  }

  String get(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** The apps started only once the database answered: at least its warm-up after it. */
  void assertStartedInStageOrder(Map<String, Workload> workloads) {
    Instant database = workloads.get(db).startedAt();
    for (String app : List.of(shop, blog)) {
      assertThat(workloads.get(app).startedAt())
          .as(app + " starts after " + db + " answers")
          .isAfterOrEqualTo(database.plus(DB_WARM_UP).minusMillis(200));
    }
  }

  @Test
  void servicesStartInStageOrderAndComeBackInOrderAfterTheirContainersVanish() throws Exception {
    await().atMost(Duration.ofSeconds(90)).until(() -> running().size() == 3);
    Map<String, Workload> first = running();
    assertStartedInStageOrder(first);
    Map<String, Integer> ports = Map.of(db, port(db), shop, port(shop), blog, port(blog));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(get(ports.get(shop))).isEqualTo(PodmanTestEnvironment.PAGE));

    // As when podman loses its database: every container gone, behind Berth's back.
    for (String service : List.of(db, shop, blog)) {
      podman.host().removeContainersLabelled(Labels.SERVICE, service);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Map<String, Workload> now = running();
              return now.size() == 3
                  && now.values().stream()
                      .noneMatch(w -> w.id().equals(first.get(w.service()).id()));
            });
    assertStartedInStageOrder(running());
    assertThat(Map.of(db, port(db), shop, port(shop), blog, port(blog))).isEqualTo(ports);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(get(ports.get(blog))).isEqualTo(PodmanTestEnvironment.PAGE));
  }
}
