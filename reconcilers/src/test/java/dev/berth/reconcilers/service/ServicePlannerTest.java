package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.probe.ProbeStatus;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.service.Action.AllocatePort;
import dev.berth.reconcilers.service.Action.Create;
import dev.berth.reconcilers.service.Action.EnsureImage;
import dev.berth.reconcilers.service.Action.PublishRoutes;
import dev.berth.reconcilers.service.Action.Remove;
import dev.berth.reconcilers.service.Action.Replace;
import dev.berth.reconcilers.service.Action.RequestCertificate;
import dev.berth.reconcilers.service.Action.Start;
import dev.berth.reconcilers.service.Action.Stop;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.StoredService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The planner's rules, one case each, with no runtime behind them. */
class ServicePlannerTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  /** The word a view's state sends. */
  static String word(ComponentView view) {
    return view.state().wire();
  }

  static final ComponentSpec WEB = ComponentSpec.container("web", "localhost/web:1.0");
  static final ComponentSpec WORKER =
      ComponentSpec.builder("worker", RuntimeKind.PROCESS).executable("/bin/sleep").build();
  static final RouteSpec HTTPS = new RouteSpec("https", 443, RouteMode.L7, "web.example.net");
  static final RouteSpec MQTT = new RouteSpec("mqtt", 8883, RouteMode.L4, "mqtt.example.net");
  static final ComponentSpec ROUTED = WEB.withRoutes(List.of(HTTPS, MQTT));
  static final HealthProbe TCP_8080 = new HealthProbe(ProbeType.TCP, 8080, null, null);

  /** A scenario: what is declared and observed, built up by each test. */
  static final class Scene {
    StoredService declared;
    final List<Workload> workloads = new ArrayList<>();
    final Map<PortKey, Integer> ports = new HashMap<>();
    final Map<String, CertificateState> certificates = new HashMap<>();
    Set<RouteBinding> published = new HashSet<>();
    Set<RouteBinding> served = new HashSet<>();
    final Map<String, ComponentHistory> history = new HashMap<>();
    Map<String, ProbeStatus> probes;
    final Map<String, String> secretDigests = new HashMap<>();
    Instant now = NOW;

    Scene declare(DesiredState state, ComponentSpec... components) {
      declared =
          new StoredService(
              new ServiceSpec("shop", null, state, null, List.of(components)), 3, "test", NOW, NOW);
      return this;
    }

    Scene running(ComponentSpec... components) {
      return declare(DesiredState.RUNNING, components);
    }

    Scene port(String component, String route, int port) {
      ports.put(new PortKey("shop", component, route), port);
      return this;
    }

    /** A workload as Berth would create it from the current declaration. */
    Workload current(ComponentSpec component, String id, WorkloadState state) {
      return observed(desiredSpec(component), id, state, null);
    }

    Workload observed(WorkloadSpec spec, String id, WorkloadState state, Integer exitCode) {
      return observed(spec, id, state, exitCode, false);
    }

    Workload observed(
        WorkloadSpec spec, String id, WorkloadState state, Integer exitCode, boolean oomKilled) {
      Workload workload =
          new Workload(
              id,
              spec.name(),
              spec.labels(),
              state,
              exitCode,
              NOW.minusSeconds(60),
              spec.image(),
              spec.ports(),
              spec.kind(),
              oomKilled);
      workloads.add(workload);
      return workload;
    }

    WorkloadSpec desiredSpec(ComponentSpec component) {
      Map<String, Integer> routePorts = new HashMap<>();
      for (RouteSpec route : component.routes()) {
        routePorts.put(
            route.name(), ports.get(new PortKey("shop", component.name(), route.name())));
      }
      return WorkloadSpecs.of("shop", declared.generation(), component, routePorts, secretDigests);
    }

    /** What the probes of workload {@code id} found; a scene without any probes nothing. */
    Scene probed(String id, ProbeStatus found) {
      if (probes == null) {
        probes = new HashMap<>();
      }
      probes.put(id, found);
      return this;
    }

    /** The node probes, but has not probed anything yet. */
    Scene probing() {
      if (probes == null) {
        probes = new HashMap<>();
      }
      return this;
    }

    PlanInput input() {
      return new PlanInput(
          "shop",
          declared,
          workloads,
          ports,
          certificates,
          published,
          served,
          history,
          probes,
          now,
          secretDigests,
          Map.of(),
          Map.of(),
          null,
          true);
    }

    Plan plan() {
      return ServicePlanner.plan(input());
    }
  }

  static RouteBinding.CertificateFiles certificateFiles() {
    return new RouteBinding.CertificateFiles(
        Path.of("/certs/web/fullchain.pem"), Path.of("/certs/web/privkey.pem"), "ab12");
  }

  @Nested
  class Running {

    @Test
    void aMissingWorkloadIsCreatedAfterItsImageIsEnsured() {
      Scene scene = new Scene().running(WEB);
      Plan plan = scene.plan();
      assertThat(plan.actions())
          .containsExactly(
              new EnsureImage("web", scene.desiredSpec(WEB)),
              new Create("web", scene.desiredSpec(WEB)));
      assertThat(plan.components())
          .extracting(ServicePlannerTest::word)
          .containsExactly("creating");
    }

    @Test
    void aProcessNeedsNoImage() {
      Scene scene = new Scene().running(WORKER);
      assertThat(scene.plan().actions())
          .containsExactly(new Create("worker", scene.desiredSpec(WORKER)));
    }

    @Test
    void aRunningWorkloadOfTheCurrentSpecNeedsNothing() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      Plan plan = scene.plan();
      assertThat(plan.converged()).isTrue();
      assertThat(plan.components()).extracting(ServicePlannerTest::word).containsExactly("running");
      assertThat(plan.conditions())
          .contains(new ConditionView("web", "Ready", true, "Running", "running the current spec"));
    }

    @Test
    void aWorkloadOfAnOlderSpecIsReplaced() {
      Scene scene = new Scene().running(WEB);
      scene.observed(
          scene.desiredSpec(WEB.withImage("localhost/web:0.9")),
          "old",
          WorkloadState.RUNNING,
          null);
      assertThat(scene.plan().actions())
          .containsExactly(
              new EnsureImage("web", scene.desiredSpec(WEB)),
              new Replace("web", "old", scene.desiredSpec(WEB)));
    }

    @Test
    void aChangedSecretFileReplacesTheWorkloadThatHasTheOldOne() {
      ComponentSpec worker = WORKER.toBuilder().secret("TOKEN", "token").build();
      Scene scene = new Scene().running(worker);
      scene.secretDigests.put("token", "sha256:old");
      scene.current(worker, "old", WorkloadState.RUNNING);

      scene.secretDigests.put("token", "sha256:new");

      assertThat(scene.plan().actions())
          .containsExactly(new Replace("worker", "old", scene.desiredSpec(worker)));
      assertThat(scene.desiredSpec(worker).secrets())
          .singleElement()
          .satisfies(secret -> assertThat(secret.value()).isNull());
    }

    @Test
    void anUnchangedSecretFileNeedsNothing() {
      ComponentSpec worker = WORKER.toBuilder().secret("TOKEN", "token").build();
      Scene scene = new Scene().running(worker);
      scene.secretDigests.put("token", "sha256:same");
      scene.current(worker, "c1", WorkloadState.RUNNING);

      assertThat(scene.plan().converged()).isTrue();
    }

    @Test
    void aGenerationBumpAloneReplacesNothing() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      scene.declared = new StoredService(scene.declared.spec(), 9, "test", NOW, NOW);
      assertThat(scene.plan().converged()).isTrue();
    }

    @Test
    void aCreatedWorkloadIsStarted() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.CREATED);
      assertThat(scene.plan().actions()).containsExactly(new Start("web", "c1", false));
    }

    @Test
    void aWorkloadBerthStoppedIsStartedWithoutCountingACrash() {
      Scene scene = new Scene().running(WEB);
      scene.observed(scene.desiredSpec(WEB), "c1", WorkloadState.EXITED, 0);
      scene.history.put("web", new ComponentHistory(true, 0, null));
      assertThat(scene.plan().actions()).containsExactly(new Start("web", "c1", false));
    }

    @Test
    void anExitedWorkloadIsRestartedAtOnceTheFirstTime() {
      ComponentSpec always = WEB.toBuilder().restart(RestartPolicy.ALWAYS).build();
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 137);
      assertThat(scene.plan().actions()).containsExactly(new Start("web", "c1", true));
    }

    @Test
    void aCrashLoopWaitsForItsBackoffAndSaysUntilWhen() {
      ComponentSpec always = WEB.toBuilder().restart(RestartPolicy.ALWAYS).build();
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 1);
      scene.history.put("web", new ComponentHistory(false, 3, NOW.plusSeconds(4)));
      Plan plan = scene.plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.requeueAfter()).isEqualTo(Duration.ofSeconds(4));
      ComponentView view = plan.components().get(0);
      assertThat(view.state().wire()).isEqualTo("CrashLoopBackOff");
      assertThat(view.message()).contains("next attempt at 2026-11-22T10:00:04Z");
    }

    @Test
    void aCrashLoopRestartsOnceItsBackoffHasPassed() {
      ComponentSpec always = WEB.toBuilder().restart(RestartPolicy.ALWAYS).build();
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 1);
      scene.history.put("web", new ComponentHistory(false, 3, NOW));
      assertThat(scene.plan().actions()).containsExactly(new Start("web", "c1", true));
    }

    @ParameterizedTest(name = "restart={0}, exit code {1}: restarted={2}")
    @CsvSource({
      "NO, 0, false",
      "NO, 1, false",
      "ON_FAILURE, 0, false",
      "ON_FAILURE, 1, true",
      "ON_FAILURE, , true",
      "ALWAYS, 0, true",
      "UNLESS_STOPPED, 0, true",
    })
    void anExitedWorkloadIsRestartedAsItsPolicySays(
        RestartPolicy policy, Integer exitCode, boolean restarted) {
      ComponentSpec component = WEB.toBuilder().restart(policy).build();
      Scene scene = new Scene().running(component);
      scene.observed(scene.desiredSpec(component), "c1", WorkloadState.EXITED, exitCode);
      Plan plan = scene.plan();
      if (restarted) {
        assertThat(plan.actions()).containsExactly(new Start("web", "c1", true));
      } else {
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.components().get(0).state().wire()).isEqualTo("exited");
      }
    }

    @Test
    void aSecondWorkloadOfOneComponentIsRemovedKeepingTheBestOne() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "stale", WorkloadState.EXITED);
      scene.current(WEB, "good", WorkloadState.RUNNING);
      assertThat(scene.plan().actions())
          .containsExactly(new Remove("web", "stale", "a second workload of one component"));
    }

    @Test
    void aWorkloadOfAComponentNoLongerDeclaredIsRemoved() {
      Scene scene = new Scene().running(WEB, WORKER);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      scene.current(WORKER, "p1", WorkloadState.RUNNING);
      scene.running(WEB);
      assertThat(scene.plan().actions())
          .containsExactly(new Remove("worker", "p1", "the component is no longer declared"));
    }

    @Test
    void componentsArePlannedInDeclarationOrder() {
      Scene scene = new Scene().running(WORKER, WEB);
      assertThat(scene.plan().components())
          .extracting(ComponentView::component)
          .containsExactly("worker", "web");
    }
  }

  @Nested
  class Ports {

    @Test
    void routesWithoutPortsGetThemBeforeAnythingElse() {
      Scene scene = new Scene().running(ROUTED);
      Plan plan = scene.plan();
      assertThat(plan.actions())
          .containsExactly(
              new AllocatePort(new PortKey("shop", "web", "https")),
              new AllocatePort(new PortKey("shop", "web", "mqtt")));
      assertThat(plan.components()).extracting(ServicePlannerTest::word).containsExactly("pending");
    }

    @Test
    void allocatedPortsArePublishedAndGivenAsEnvironment() {
      Scene scene =
          new Scene().running(ROUTED).port("web", "https", 12001).port("web", "mqtt", 12002);
      WorkloadSpec spec = scene.desiredSpec(ROUTED);
      assertThat(spec.env())
          .containsEntry("PORT_HTTPS", "12001")
          .containsEntry("PORT_MQTT", "12002");
      assertThat(spec.env()).doesNotContainKey("PORT");
      assertThat(spec.ports())
          .extracting(p -> p.hostIp() + ":" + p.hostPort() + ":" + p.containerPort())
          .containsExactly("127.0.0.1:12001:12001", "127.0.0.1:12002:12002");
    }

    @Test
    void aSingleRouteAlsoGetsPort() {
      ComponentSpec single = WEB.withRoutes(List.of(MQTT));
      Scene scene = new Scene().running(single).port("web", "mqtt", 12002);
      assertThat(scene.desiredSpec(single).env())
          .containsEntry("PORT", "12002")
          .containsEntry("PORT_MQTT", "12002");
    }
  }

  @Nested
  class Routes {

    Scene routedAndRunning() {
      Scene scene =
          new Scene().running(ROUTED).port("web", "https", 12001).port("web", "mqtt", 12002);
      scene.current(ROUTED, "c1", WorkloadState.RUNNING);
      return scene;
    }

    @Test
    void anL4RouteIsPublishedWithoutACertificateAndAnUnknownCertificateIsRequested() {
      Scene scene = routedAndRunning();
      Plan plan = scene.plan();
      assertThat(plan.actions())
          .containsExactly(
              new RequestCertificate("web.example.net"),
              new PublishRoutes(
                  Set.of(
                      new RouteBinding(
                          "shop",
                          "web",
                          "mqtt",
                          RouteMode.L4,
                          "mqtt.example.net",
                          8883,
                          12002,
                          null))));
    }

    @Test
    void anL7RouteWaitsForItsCertificateAndTheConditionSaysWhy() {
      Scene scene = routedAndRunning();
      scene.certificates.put("web.example.net", CertificateState.failed("acme: rate limited"));
      Plan plan = scene.plan();
      assertThat(plan.actions()).noneMatch(a -> a instanceof RequestCertificate);
      assertThat(plan.conditions())
          .filteredOn(c -> c.type().equals("CertificateReady"))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.status()).isFalse();
                assertThat(c.reason()).isEqualTo("IssuanceFailed");
                assertThat(c.message()).contains("web.example.net: acme: rate limited");
              });
      PublishRoutes publish = (PublishRoutes) plan.actions().get(0);
      assertThat(publish.routes()).extracting(RouteBinding::route).containsExactly("mqtt");
    }

    @Test
    void anL7RouteIsPublishedOnceItsCertificateIsReady() {
      Scene scene = routedAndRunning();
      scene.certificates.put(
          "web.example.net",
          CertificateState.ready(certificateFiles(), NOW.plusSeconds(86400 * 60)));
      PublishRoutes publish = (PublishRoutes) scene.plan().actions().get(0);
      assertThat(publish.routes())
          .contains(
              new RouteBinding(
                  "shop",
                  "web",
                  "https",
                  RouteMode.L7,
                  "web.example.net",
                  443,
                  12001,
                  certificateFiles()));
    }

    @Test
    void anUnchangedRouteSetIsNotPublishedAgain() {
      Scene scene = routedAndRunning();
      scene.certificates.put("web.example.net", CertificateState.pending("ordering"));
      scene.published =
          Set.of(
              new RouteBinding(
                  "shop", "web", "mqtt", RouteMode.L4, "mqtt.example.net", 8883, 12002, null));
      assertThat(scene.plan().actions()).isEmpty();
    }
  }

  @Nested
  class StoppedAndDeleted {

    final RouteBinding route =
        new RouteBinding(
            "shop", "web", "mqtt", RouteMode.L4, "mqtt.example.net", 8883, 12002, null);

    @Test
    void stoppingWithdrawsRoutesFirstAndWaitsForTheProxy() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      scene.declare(DesiredState.STOPPED, WEB);
      scene.published = Set.of(route);
      scene.served = Set.of(route);
      Plan plan = scene.plan();
      assertThat(plan.actions()).containsExactly(new PublishRoutes(Set.of()));
      assertThat(plan.requeueAfter()).isEqualTo(ServicePlanner.ROUTE_WITHDRAWAL_RECHECK);
    }

    @Test
    void stoppingStopsWorkloadsOnceNoRouteIsServed() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      scene.declare(DesiredState.STOPPED, WEB);
      assertThat(scene.plan().actions()).containsExactly(new Stop("web", "c1"));
    }

    @Test
    void aStoppedServiceKeepsItsStoppedWorkloadsAndCreatesNothing() {
      Scene scene = new Scene().declare(DesiredState.STOPPED, WEB, WORKER);
      scene.current(WEB, "c1", WorkloadState.EXITED);
      Plan plan = scene.plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.components())
          .extracting(ServicePlannerTest::word)
          .containsExactly("stopped", "stopped");
    }

    @Test
    void aDeletedServiceLosesRoutesFirstThenWorkloads() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      scene.declared = null;
      scene.published = Set.of(route);
      scene.served = Set.of(route);
      assertThat(scene.plan().actions()).containsExactly(new PublishRoutes(Set.of()));
      scene.published = Set.of();
      scene.served = Set.of();
      assertThat(scene.plan().actions())
          .containsExactly(new Remove("web", "c1", "the service is no longer declared"));
    }

    @Test
    void aDeletedServiceWithNothingLeftNeedsNothing() {
      Scene scene = new Scene();
      assertThat(scene.plan().converged()).isTrue();
    }
  }

  @Nested
  class Endings {

    ComponentSpec restart(RestartPolicy policy) {
      return WEB.toBuilder().restart(policy).build();
    }

    @Test
    void aWorkloadKilledBySigkillWithoutRestartOwesOneEventSayingSo() {
      ComponentSpec no = restart(RestartPolicy.NO);
      Scene scene = new Scene().running(no);
      Workload killed = scene.observed(scene.desiredSpec(no), "c1", WorkloadState.EXITED, 137);
      Plan plan = scene.plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.endings())
          .containsExactly(
              new Plan.Ending(
                  "web",
                  ComponentHistory.Run.of(killed),
                  137,
                  "killed by signal 9 (SIGKILL); restart policy \"no\" keeps it stopped"));
      assertThat(plan.components().get(0).message())
          .isEqualTo("killed by signal 9 (SIGKILL); restart policy \"no\" keeps it stopped")
          .doesNotContain("on its own");
    }

    @Test
    void aWorkloadKilledForItsMemoryOwesAnOomKilledEventNamingItsLimit() {
      ComponentSpec no = restart(RestartPolicy.NO).toBuilder().memoryMb(32).build();
      Scene scene = new Scene().running(no);
      Workload killed =
          scene.observed(scene.desiredSpec(no), "c1", WorkloadState.EXITED, 137, true);
      Plan plan = scene.plan();
      assertThat(plan.endings())
          .containsExactly(
              new Plan.Ending(
                  "web",
                  ComponentHistory.Run.of(killed),
                  137,
                  "killed for exceeding its memory limit of 32 MiB; restart policy \"no\" keeps"
                      + " it stopped",
                  "OOMKilled"));
      assertThat(plan.endings().get(0).clean()).isFalse();
      assertThat(plan.components().get(0).message())
          .startsWith("killed for exceeding its memory limit of 32 MiB");
    }

    @Test
    void aWorkloadKilledForItsMemoryIsAFailureForOnFailureWhateverItsExitCode() {
      ComponentSpec onFailure = restart(RestartPolicy.ON_FAILURE).toBuilder().memoryMb(32).build();
      Scene scene = new Scene().running(onFailure);
      // Its main process exited 0 after the kernel killed one of its children.
      scene.observed(scene.desiredSpec(onFailure), "c1", WorkloadState.EXITED, 0, true);
      scene.history.put("web", new ComponentHistory(false, 2, NOW.plusSeconds(2)));
      Plan plan = scene.plan();
      assertThat(plan.components().get(0).message())
          .isEqualTo(
              "restarted 2 times; next attempt at "
                  + NOW.plusSeconds(2)
                  + " (last killed for exceeding its memory limit of 32 MiB)");
      assertThat(plan.endings()).extracting(Plan.Ending::reason).containsExactly("OOMKilled");
    }

    @Test
    void anEndAlreadyReportedIsNotReportedAgain() {
      ComponentSpec no = restart(RestartPolicy.NO);
      Scene scene = new Scene().running(no);
      Workload exited = scene.observed(scene.desiredSpec(no), "c1", WorkloadState.EXITED, 3);
      scene.history.put(
          "web", ComponentHistory.NONE.withEndReported(ComponentHistory.Run.of(exited)));
      assertThat(scene.plan().endings()).isEmpty();
    }

    @Test
    void aRestartedWorkloadsEndIsReportedWithItsExitCode() {
      ComponentSpec always = restart(RestartPolicy.ALWAYS);
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 1);
      Plan plan = scene.plan();
      assertThat(plan.actions()).containsExactly(new Start("web", "c1", true));
      assertThat(plan.endings())
          .extracting(Plan.Ending::message)
          .containsExactly("exited with code 1");
    }

    @Test
    void aCrashLoopNamesTheSignalOfTheLastEnd() {
      ComponentSpec always = restart(RestartPolicy.ALWAYS);
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 139);
      scene.history.put("web", new ComponentHistory(false, 2, NOW.plusSeconds(2)));
      assertThat(scene.plan().components().get(0).message())
          .endsWith("(last killed by signal 11 (SIGSEGV))");
    }

    @Test
    void aWorkloadBerthStoppedOwesNoEvent() {
      Scene scene = new Scene().running(WEB);
      scene.observed(scene.desiredSpec(WEB), "c1", WorkloadState.EXITED, 143);
      scene.history.put("web", new ComponentHistory(true, 0, null));
      assertThat(scene.plan().endings()).isEmpty();
    }

    @Test
    void aPausedWorkloadHasNotEnded() {
      ComponentSpec no = restart(RestartPolicy.NO);
      Scene scene = new Scene().running(no);
      scene.observed(scene.desiredSpec(no), "c1", WorkloadState.PAUSED, null);
      assertThat(scene.plan().endings()).isEmpty();
    }
  }

  @Nested
  class Vanished {

    @Test
    void aWorkloadBerthSawThatIsGoneIsCreatedAgainAndCalledVanished() {
      Scene scene = new Scene().running(WORKER);
      scene.history.put("worker", ComponentHistory.NONE.withWorkload("p1", 0));
      Plan plan = scene.plan();
      assertThat(plan.actions())
          .containsExactly(new Create("worker", scene.desiredSpec(WORKER), "p1"));
      assertThat(plan.components().get(0).message())
          .isEqualTo("its workload p1 vanished behind Berth's back; creating it again");
    }

    @Test
    void aWorkloadBerthNeverSawIsCreatedAsNew() {
      Scene scene = new Scene().running(WORKER);
      Plan plan = scene.plan();
      assertThat(plan.actions()).containsExactly(new Create("worker", scene.desiredSpec(WORKER)));
      assertThat(plan.components().get(0).message()).isEqualTo("not on the node");
    }
  }

  @Nested
  class Held {

    @Test
    void aHeldComponentWithoutAWorkloadWaitsAndNamesTheStage() {
      Scene scene = new Scene().running(WEB);
      Plan plan = ServicePlanner.held(scene.input(), "data", "db: not running");
      assertThat(plan.actions()).isEmpty();
      ComponentView view = plan.components().get(0);
      assertThat(view.state().wire()).isEqualTo("waiting");
      assertThat(view.message()).isEqualTo("waits for boot stage data: db: not running");
      assertThat(plan.conditions())
          .containsExactly(
              new ConditionView(
                  "web",
                  "Ready",
                  false,
                  "WaitingForStage",
                  "waits for boot stage data: db: not running"));
    }

    @Test
    void aHeldComponentWhoseWorkloadExitedWaitsAndIsNotRestarted() {
      ComponentSpec always = WEB.toBuilder().restart(RestartPolicy.ALWAYS).build();
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 137);
      Plan plan = ServicePlanner.held(scene.input(), "data", "db: not running");
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.components())
          .extracting(ServicePlannerTest::word, ComponentView::workloadId)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("waiting", "c1"));
    }

    @Test
    void aHeldComponentWhoseWorkloadRunsShowsRunning() {
      Scene scene = new Scene().running(WEB, WORKER);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      Plan plan = ServicePlanner.held(scene.input(), "data", null);
      assertThat(plan.components())
          .extracting(ServicePlannerTest::word)
          .containsExactly("running", "waiting");
      assertThat(plan.conditions())
          .extracting(ConditionView::component, ConditionView::status, ConditionView::reason)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("web", true, "Running"),
              org.assertj.core.groups.Tuple.tuple("worker", false, "WaitingForStage"));
    }
  }

  @Nested
  class Failures {

    @Test
    void aRuntimeFailureIsTheComponentsStateAndReadyReasonWithTheRuntimesWords() {
      Scene scene = new Scene().running(WEB, WORKER);
      Plan plan =
          ServicePlanner.failed(
              scene.plan(),
              "web",
              "ensure image localhost/web:1.0",
              new RuntimeFailure(
                  RuntimeFailure.Reason.IMAGE_MISSING,
                  "podman pull localhost/web:1.0 failed",
                  "manifest unknown"));
      String message =
          "ensure image localhost/web:1.0 failed: podman pull localhost/web:1.0 failed: manifest"
              + " unknown";
      assertThat(plan.components())
          .extracting(ComponentView::component, ServicePlannerTest::word, ComponentView::message)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("web", "ImageMissing", message),
              org.assertj.core.groups.Tuple.tuple("worker", "creating", "not on the node"));
      assertThat(plan.conditions())
          .contains(new ConditionView("web", "Ready", false, "ImageMissing", message));
    }

    @Test
    void aFailureThatRetryingMayRepairSaysItIsRetried() {
      Scene scene = new Scene().running(WEB);
      Plan plan =
          ServicePlanner.failed(
              scene.plan(),
              "web",
              "create shop_web",
              new RuntimeFailure(
                  RuntimeFailure.Reason.PORT_TAKEN, "podman run shop_web failed", "bind: in use"));
      assertThat(plan.components().get(0).state().wire()).isEqualTo("PortTaken");
      assertThat(plan.components().get(0).message()).endsWith("(trying again with backoff)");
    }
  }

  /** The service's own condition, judged from what the plan shows. */
  @Nested
  class Convergence {

    ConditionView convergence(Plan plan, DesiredState desired) {
      return ServicePlanner.withConvergence(plan, desired).conditions().stream()
          .filter(c -> c.type().equals(ServiceConvergence.TYPE))
          .findFirst()
          .orElseThrow();
    }

    Plan failed(Plan plan, RuntimeFailure.Reason reason) {
      return ServicePlanner.failed(
          plan, "web", "create shop_web", new RuntimeFailure(reason, "podman run failed", "no"));
    }

    @Test
    void aServiceWhoseComponentsRunWithEveryConditionTrueHasConverged() {
      Scene scene = new Scene().running(WEB);
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      assertThat(convergence(scene.plan(), DesiredState.RUNNING))
          .isEqualTo(
              new ConditionView(
                  "", "Converged", true, "Converged", "every component runs the current spec"));
    }

    @Test
    void aComponentBeingCreatedIsProgressNamingIt() {
      Scene scene = new Scene().running(WEB);
      assertThat(convergence(scene.plan(), DesiredState.RUNNING))
          .isEqualTo(
              new ConditionView(
                  "", "Converged", false, "Progressing", "web: creating (not on the node)"));
    }

    @Test
    void aCrashLoopFailsTheService() {
      ComponentSpec always = WEB.toBuilder().restart(RestartPolicy.ALWAYS).build();
      Scene scene = new Scene().running(always);
      scene.observed(scene.desiredSpec(always), "c1", WorkloadState.EXITED, 1);
      scene.history.put("web", new ComponentHistory(false, 3, NOW.plusSeconds(4)));
      ConditionView condition = convergence(scene.plan(), DesiredState.RUNNING);
      assertThat(condition.reason()).isEqualTo("Failed");
      assertThat(condition.message()).startsWith("web: CrashLoopBackOff (restarted 3 times;");
    }

    @Test
    void anExitThatTheRestartPolicyKeepsFailsTheService() {
      Scene scene = new Scene().running(WEB);
      scene.observed(scene.desiredSpec(WEB), "c1", WorkloadState.EXITED, 3);
      assertThat(convergence(scene.plan(), DesiredState.RUNNING))
          .isEqualTo(
              new ConditionView(
                  "",
                  "Converged",
                  false,
                  "Failed",
                  "web: exited (exited with code 3; restart policy \"no\" keeps it stopped)"));
    }

    @Test
    void aTerminalRuntimeFailureFailsTheService() {
      Plan plan = failed(new Scene().running(WEB).plan(), RuntimeFailure.Reason.IMAGE_MISSING);
      assertThat(convergence(plan, DesiredState.RUNNING).reason()).isEqualTo("Failed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PORT_TAKEN", "UNAVAILABLE", "FAILED"})
    void aRuntimeFailureTheAgentRetriesIsProgressNotFailure(RuntimeFailure.Reason reason) {
      Plan plan = failed(new Scene().running(WEB).plan(), reason);
      assertThat(convergence(plan, DesiredState.RUNNING).reason()).isEqualTo("Progressing");
    }

    @Test
    void aCertificateWhoseIssuanceFailedFailsTheService() {
      Scene scene =
          new Scene().running(ROUTED).port("web", "https", 12001).port("web", "mqtt", 12002);
      scene.current(ROUTED, "c1", WorkloadState.RUNNING);
      scene.certificates.put("web.example.net", CertificateState.failed("acme: rate limited"));
      ConditionView condition = convergence(scene.plan(), DesiredState.RUNNING);
      assertThat(condition.reason()).isEqualTo("Failed");
      assertThat(condition.message()).startsWith("web: CertificateReady is False: IssuanceFailed");
    }

    @Test
    void aPendingCertificateIsProgress() {
      Scene scene =
          new Scene().running(ROUTED).port("web", "https", 12001).port("web", "mqtt", 12002);
      scene.current(ROUTED, "c1", WorkloadState.RUNNING);
      scene.certificates.put("web.example.net", CertificateState.pending("requested"));
      assertThat(convergence(scene.plan(), DesiredState.RUNNING).reason()).isEqualTo("Progressing");
    }

    @Test
    void aRunningComponentWhoseProbeFailsIsProgress() {
      ComponentSpec probed = WEB.toBuilder().health(TCP_8080).build();
      Scene scene = new Scene().running(probed);
      scene.current(probed, "c1", WorkloadState.RUNNING);
      scene.probed("c1", ProbeStatus.failed(1, "connection refused", NOW));
      assertThat(convergence(scene.plan(), DesiredState.RUNNING).message())
          .isEqualTo(
              "web: Ready is False: ProbeFailing (its tcp probe on port 8080 fails: connection"
                  + " refused)");
    }

    @Test
    void aHeldServiceIsProgress() {
      Plan plan = ServicePlanner.held(new Scene().running(WEB).input(), "data", null);
      assertThat(convergence(plan, DesiredState.RUNNING).reason()).isEqualTo("Progressing");
    }

    @Test
    void aServiceDeclaredStoppedConvergesOnceEveryComponentIsStopped() {
      Scene stopping = new Scene().declare(DesiredState.STOPPED, WEB);
      stopping.current(WEB, "c1", WorkloadState.RUNNING);
      assertThat(convergence(stopping.plan(), DesiredState.STOPPED).reason())
          .isEqualTo("Progressing");

      Scene stopped = new Scene().declare(DesiredState.STOPPED, WEB);
      stopped.current(WEB, "c1", WorkloadState.EXITED);
      assertThat(convergence(stopped.plan(), DesiredState.STOPPED))
          .isEqualTo(
              new ConditionView("", "Converged", true, "Converged", "every component is stopped"));
    }
  }

  /** Ready follows a component's declared health probe, as the node's probes found it. */
  @Nested
  class Probes {

    final ComponentSpec probed = WEB.toBuilder().health(TCP_8080).build();

    private ConditionView ready(Plan plan) {
      return plan.conditions().stream()
          .filter(c -> c.type().equals("Ready") && c.component().equals("web"))
          .findFirst()
          .orElseThrow();
    }

    @Test
    void aRunningComponentNotProbedYetIsNotReady() {
      Scene scene = new Scene().running(probed).probing();
      scene.current(probed, "c1", WorkloadState.RUNNING);
      assertThat(ready(scene.plan()))
          .isEqualTo(
              new ConditionView(
                  "web",
                  "Ready",
                  false,
                  "ProbeFailing",
                  "its tcp probe on port 8080 has not been probed yet"));
    }

    @Test
    void aRunningComponentWhoseProbePassesIsReady() {
      Scene scene = new Scene().running(probed).probed("c1", ProbeStatus.passed(NOW));
      scene.current(probed, "c1", WorkloadState.RUNNING);
      Plan plan = scene.plan();
      assertThat(ready(plan).status()).isTrue();
      assertThat(plan.actions()).isEmpty();
    }

    @Test
    void aFailingProbeNamesTheProbeAndWhatItFound() {
      ComponentSpec http =
          WEB.toBuilder().health(new HealthProbe(ProbeType.HTTP, 8080, null, "/healthz")).build();
      Scene scene = new Scene().running(http).probed("c1", ProbeStatus.failed(2, "HTTP 503", NOW));
      scene.current(http, "c1", WorkloadState.RUNNING);
      assertThat(ready(scene.plan()))
          .isEqualTo(
              new ConditionView(
                  "web",
                  "Ready",
                  false,
                  "ProbeFailing",
                  "its http probe on port 8080 /healthz fails: HTTP 503"));
    }

    @Test
    void aFailingReadinessProbeChangesNothingOnTheNode() {
      Scene scene =
          new Scene()
              .running(probed)
              .probed("c1", ProbeStatus.failed(100, "connection refused", NOW));
      scene.current(probed, "c1", WorkloadState.RUNNING);
      assertThat(scene.plan().actions()).isEmpty();
    }

    @Test
    void withoutProbesAtTheNodeRunningIsReady() {
      Scene scene = new Scene().running(probed);
      scene.current(probed, "c1", WorkloadState.RUNNING);
      assertThat(ready(scene.plan()).status()).isTrue();
    }

    @Test
    void aComponentWithoutAProbeIsReadyWhenItRuns() {
      Scene scene = new Scene().running(WEB).probing();
      scene.current(WEB, "c1", WorkloadState.RUNNING);
      assertThat(ready(scene.plan()).status()).isTrue();
    }
  }

  /**
   * A liveness probe that fails its threshold of times in a row stops its workload to restart it.
   */
  @Nested
  class Liveness {

    final HealthProbe http =
        new HealthProbe(ProbeType.HTTP, 8080, null, "/healthz")
            .withLiveness(true)
            .withTiming(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, Duration.ofSeconds(30));
    final ComponentSpec live = WEB.toBuilder().restart(RestartPolicy.ALWAYS).health(http).build();

    /** The workload started 60 s before {@link #NOW}, past its 30 s initial delay. */
    Scene failing(ComponentSpec component, int failures) {
      Scene scene =
          new Scene()
              .running(component)
              .probed("c1", ProbeStatus.failed(failures, "connection refused", NOW));
      scene.current(component, "c1", WorkloadState.RUNNING);
      return scene;
    }

    @Test
    void belowTheThresholdNothingIsDoneButReadyIsFalse() {
      Plan plan = failing(live, 2).plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.conditions())
          .contains(
              new ConditionView(
                  "web",
                  "Ready",
                  false,
                  "ProbeFailing",
                  "its http probe on port 8080 /healthz fails: connection refused (2 of 3"
                      + " failures in a row before a restart)"));
    }

    @Test
    void atTheThresholdTheWorkloadIsStoppedSayingWhy() {
      Scene scene = failing(live, 3);
      Workload current = scene.workloads.get(0);
      String why =
          "its http probe on port 8080 /healthz failed 3 times in a row: connection refused;"
              + " restarting";
      Plan plan = scene.plan();
      assertThat(plan.actions())
          .containsExactly(
              new Action.StopUnhealthy("web", "c1", ComponentHistory.Run.of(current), why));
      assertThat(plan.components().get(0).state().wire()).isEqualTo("stopping");
      assertThat(plan.components().get(0).message()).isEqualTo(why);
    }

    @Test
    void theStoppedWorkloadIsStartedAgainAsARestartTheBackoffCounts() {
      Scene scene = new Scene().running(live);
      scene.observed(scene.desiredSpec(live), "c1", WorkloadState.EXITED, 143);
      scene.history.put(
          "web",
          new ComponentHistory(
              false, 0, null, "c1", 0, new ComponentHistory.Run("c1", NOW.minusSeconds(60))));
      Plan plan = scene.plan();
      assertThat(plan.actions()).containsExactly(new Start("web", "c1", true));
      assertThat(plan.endings()).isEmpty();
    }

    @Test
    void aWorkloadThatKeepsFailingWaitsOutItsCrashLoopBackoff() {
      Scene scene = new Scene().running(live);
      scene.observed(scene.desiredSpec(live), "c1", WorkloadState.EXITED, 143);
      scene.history.put("web", new ComponentHistory(false, 4, NOW.plusSeconds(8)));
      Plan plan = scene.plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(word(plan.components().get(0))).isEqualTo("CrashLoopBackOff");
      assertThat(plan.requeueAfter()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void withinItsInitialDelayAWorkloadIsNotStopped() {
      Scene scene = failing(live, 3);
      scene.now = NOW.minusSeconds(31); // 29 s after it started
      assertThat(scene.plan().actions()).isEmpty();
    }

    @Test
    void aProbeThatIsNotALivenessProbeOnlyMakesItNotReady() {
      ComponentSpec readiness = live.toBuilder().health(http.withLiveness(false)).build();
      Plan plan = failing(readiness, 50).plan();
      assertThat(plan.actions()).isEmpty();
      assertThat(plan.conditions())
          .contains(
              new ConditionView(
                  "web",
                  "Ready",
                  false,
                  "ProbeFailing",
                  "its http probe on port 8080 /healthz fails: connection refused"));
    }

    @Test
    void withRestartPolicyNoTheEventSaysItStaysStopped() {
      ComponentSpec once = live.toBuilder().restart(RestartPolicy.NO).build();
      assertThat(failing(once, 3).plan().actions())
          .singleElement()
          .satisfies(
              a ->
                  assertThat(((Action.StopUnhealthy) a).why())
                      .endsWith("; stopping it (restart policy \"no\" keeps it stopped)"));
    }

    @Test
    void aProbeThatPassesAgainEndsTheCount() {
      Scene scene = new Scene().running(live).probed("c1", ProbeStatus.passed(NOW));
      scene.current(live, "c1", WorkloadState.RUNNING);
      assertThat(scene.plan().actions()).isEmpty();
    }
  }
}
