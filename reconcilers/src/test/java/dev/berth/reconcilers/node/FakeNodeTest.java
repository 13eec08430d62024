package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateIssuer;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.HistoryEntry;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's loops against the fake runtime and a real registry, in real time. */
class FakeNodeTest {

  static final String IMAGE = "localhost/app:1.0";

  @TempDir Path data;
  Registry registry;
  FakeRuntime runtime;
  BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(data));
    runtime = new FakeRuntime().addImage(IMAGE);
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofMillis(200))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    node.stop(Duration.ofSeconds(5));
    registry.close();
  }

  static ServiceSpec service(String name, String... components) {
    List<ComponentSpec> specs =
        java.util.Arrays.stream(components)
            .map(
                c ->
                    ComponentSpec.container(c, IMAGE).toBuilder()
                        .restart(RestartPolicy.ALWAYS)
                        .build())
            .toList();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, specs);
  }

  void apply(ServiceSpec... specs) {
    registry.services().apply(ApplyRequest.of("test", List.of(specs)));
  }

  Set<String> running() {
    return runtime.list().stream()
        .filter(Workload::running)
        .map(w -> w.service() + "/" + w.component())
        .collect(Collectors.toSet());
  }

  Workload workload(String service, String component) {
    return runtime.list().stream()
        .filter(w -> service.equals(w.service()) && component.equals(w.component()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void declaredServicesRunWithTheirLabelsAndStatus() {
    apply(service("shop", "web", "db"), service("mc-proxy", "proxy"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 3);
    assertThat(running()).containsExactlyInAnyOrder("shop/web", "shop/db", "mc-proxy/proxy");
    Workload proxy = workload("mc-proxy", "proxy");
    assertThat(proxy.name()).isEqualTo("mc-proxy_proxy");
    assertThat(proxy.labels()).containsKeys(Labels.SPEC_HASH, Labels.GENERATION);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> registry.status().of("shop").stream().map(ComponentStatus::state).toList(),
            states -> states.equals(List.of("running", "running")));
    assertThat(registry.events().of("shop")).extracting(ServiceEvent::reason).contains("Created");
  }

  @Test
  void aSpecTheServiceConvergedRunningIsMarkedHealthyInItsHistoryAndABrokenOneIsNot() {
    apply(service("shop", "web"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.services().lastHealthy("shop").isPresent());

    ComponentSpec missing = ComponentSpec.container("web", "localhost/app:missing");
    apply(new ServiceSpec("shop", null, DesiredState.RUNNING, null, List.of(missing)));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> registry.status().of("shop").stream().map(ComponentStatus::state).toList(),
            states -> states.equals(List.of("ImageMissing")));

    assertThat(registry.services().history("shop"))
        .extracting(HistoryEntry::generation, HistoryEntry::healthy)
        .containsExactly(tuple(1L, true), tuple(2L, false));
    assertThat(registry.services().lastHealthy("shop")).map(HistoryEntry::generation).contains(1L);
  }

  @Test
  void anOutOfBandKillIsRepairedPromptly() {
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
    String id = workload("shop", "web").id();
    long killed = System.nanoTime();
    runtime.killOutOfBand(id, 137);
    await().atMost(Duration.ofSeconds(5)).until(() -> workload("shop", "web").running());
    Duration repaired = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(repaired).isLessThan(Duration.ofMillis(1500));
    assertThat(workload("shop", "web").id()).isEqualTo(id);
  }

  @Test
  void anOutOfBandRemovalIsRecreatedPromptly() {
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
    String id = workload("shop", "web").id();
    long removed = System.nanoTime();
    runtime.removeOutOfBand(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> running().contains("shop/web"));
    assertThat(Duration.ofNanos(System.nanoTime() - removed)).isLessThan(Duration.ofMillis(1500));
    assertThat(workload("shop", "web").id()).isNotEqualTo(id);
  }

  @Test
  void aRestartStopsAndStartsTheSameWorkloadsAndSaysSo() throws Exception {
    apply(service("shop", "web", "db"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 2);
    Workload before = workload("shop", "web");

    int restarted = node.restart("shop").get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(restarted).isEqualTo(2);
    Workload after = workload("shop", "web");
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.running()).isTrue();
    assertThat(after.startedAt()).isAfter(before.startedAt());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> registry.events().of("shop").stream().map(ServiceEvent::reason).toList(),
            reasons -> reasons.contains("Restarted"));
    // Carried out by the service's worker: the stop is never taken for a crash.
    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::message)
        .noneMatch(message -> message.contains("exited on its own"));
  }

  @Test
  void aRuntimeThatLostItsStateGetsEverythingBackWithoutPullingPresentImages() {
    apply(service("shop", "web", "db"), service("blog", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 3);
    int pullsBefore = runtime.calls(FakeRuntime.Operation.PULL);
    runtime.loseState();
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 3);
    assertThat(runtime.calls(FakeRuntime.Operation.PULL)).isEqualTo(pullsBefore);
  }

  @Test
  void aMissingImageIsPulledOnce() {
    runtime.publish("localhost/other:2.0");
    apply(
        new ServiceSpec(
            "other",
            null,
            DesiredState.RUNNING,
            null,
            List.of(ComponentSpec.container("app", "localhost/other:2.0"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().contains("other/app"));
    assertThat(runtime.calls(FakeRuntime.Operation.PULL)).isEqualTo(1);
  }

  @Test
  void aChangedSpecReplacesTheWorkload() {
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
    String before = workload("shop", "web").id();
    apply(
        new ServiceSpec(
            "shop",
            null,
            DesiredState.RUNNING,
            null,
            List.of(
                ComponentSpec.container("web", IMAGE).toBuilder()
                    .restart(RestartPolicy.ALWAYS)
                    .env("MODE", "fast")
                    .build())));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !workload("shop", "web").id().equals(before) && workload("shop", "web").running());
    assertThat(runtime.list()).hasSize(1);
  }

  @Test
  void aStoppedServiceKeepsItsWorkloadsStoppedAndStartsAgain() {
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
    registry.services().setDesiredState("shop", DesiredState.STOPPED, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> running().isEmpty());
    assertThat(runtime.list()).hasSize(1);
    registry.services().setDesiredState("shop", DesiredState.RUNNING, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
  }

  @Test
  void aDeletedServiceLosesItsWorkloads() {
    apply(service("shop", "web", "db"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 2);
    registry.services().delete("shop", null);
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.list().isEmpty());
  }

  @Test
  void unlabelledWorkloadsAreNeverTouched() {
    Workload stranger =
        runtime.run(
            WorkloadSpec.builder("someone-elses", WorkloadKind.CONTAINER).image(IMAGE).build());
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().contains("shop/web"));
    node.recover();
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    assertThat(runtime.inspect(stranger.id()))
        .hasValueSatisfying(w -> assertThat(w.running()).isTrue());
  }

  @Test
  void aCertificateThatCannotBeHadIsAWarningOnTheServiceThatNeedsIt() {
    node.stop(Duration.ofSeconds(5));
    CertificateIssuer refusing =
        new CertificateIssuer() {
          @Override
          public String name() {
            return "acme";
          }

          @Override
          public IssuedCertificate issue(CertificateRequest request) {
            throw new IssuanceException("acme: rate limited", true);
          }
        };
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofMillis(200))
            .statusFlushInterval(Duration.ofMillis(20))
            .certificates(
                new CertificateReconciler(
                    registry,
                    new CertificateDirectory(data.resolve("certificates")),
                    new IssuerPolicy(refusing, null, IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
                    CertificateReconciler.DEFAULT_RENEW_BEFORE,
                    true,
                    java.time.Clock.systemUTC()))
            .build();
    node.start();

    ComponentSpec web =
        ComponentSpec.container("web", IMAGE)
            .withRoutes(List.of(new RouteSpec("https", 443, RouteMode.L7, "shop.example.com")));
    apply(new ServiceSpec("shop", null, DesiredState.RUNNING, null, List.of(web)));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.events().of("shop"))
                    .filteredOn(e -> e.reason().equals("CertificateFailed"))
                    .first()
                    .satisfies(
                        event -> {
                          assertThat(event.type()).isEqualTo(ServiceEvent.Type.WARNING);
                          assertThat(event.message())
                              .isEqualTo(
                                  "no certificate for shop.example.com, so its routes stay"
                                      + " unpublished: acme: rate limited");
                        }));
  }

  @Test
  void aCrashLoopBacksOffAndSaysSo() {
    apply(service("shop", "web"));
    await().atMost(Duration.ofSeconds(5)).until(() -> running().size() == 1);
    String id = workload("shop", "web").id();
    for (int i = 0; i < 3; i++) {
      await().atMost(Duration.ofSeconds(5)).until(() -> workload("shop", "web").running());
      runtime.killOutOfBand(id, 1);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                registry.status().of("shop").stream()
                    .anyMatch(s -> s.state().equals("CrashLoopBackOff")));
    ComponentStatus status = registry.status().of("shop").get(0);
    assertThat(status.message()).contains("next attempt at");
    int startsBefore = runtime.calls(FakeRuntime.Operation.START);
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(runtime.calls(FakeRuntime.Operation.START)).isEqualTo(startsBefore);
  }
}
