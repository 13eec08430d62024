package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.probe.ProbeStatus;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.service.Action.AbandonUpdate;
import dev.berth.reconcilers.service.Action.AllocatePort;
import dev.berth.reconcilers.service.Action.CreateBeside;
import dev.berth.reconcilers.service.Action.PublishRoutes;
import dev.berth.reconcilers.service.Action.Remove;
import dev.berth.reconcilers.service.Action.Replace;
import dev.berth.reconcilers.service.Action.Retire;
import dev.berth.reconcilers.service.Action.Start;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.spec.status.UpdateFailure;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.StoredService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Replacing beside, step by step (start, probe, switch, drain, stop), and how an update that does
 * not become healthy is given up; each step as the planner derives it from what it observes.
 */
class ServicePlannerBesideTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final RouteSpec TCP = new RouteSpec("tcp", 4443, RouteMode.L4, "web.example.net");
  static final PortKey KEY = new PortKey("shop", "web", "tcp");
  static final int FIRST = 20001;
  static final int SPARE = 20002;
  static final UpdatePolicy POLICY =
      new UpdatePolicy(null, Duration.ofSeconds(10), Duration.ofSeconds(5), false);

  static ComponentSpec web(String version) {
    return ComponentSpec.builder("web", RuntimeKind.PROCESS)
        .executable("/usr/bin/web")
        .cmd("--version", version)
        .restart(RestartPolicy.ALWAYS)
        .routes(TCP)
        .update(POLICY)
        .build();
  }

  static final ComponentSpec V1 = web("1");
  static final ComponentSpec V2 = web("2");

  /** What is declared and observed, built up by each test. */
  static final class Scene {
    StoredService declared;
    final List<Workload> workloads = new ArrayList<>();
    final Map<PortKey, Integer> ports = new HashMap<>(Map.of(KEY, FIRST));
    final Map<PortKey, Integer> spares = new HashMap<>(Map.of(KEY, SPARE));
    Set<RouteBinding> published = Set.of();
    Set<RouteBinding> served = Set.of();
    final Map<String, ComponentHistory> history = new HashMap<>();
    final Map<String, ProbeStatus> probes = new HashMap<>();
    final Map<String, FailedUpdate> failed = new HashMap<>();
    Instant servedSince;
    boolean proxied = true;

    Scene declare(ComponentSpec component) {
      declared =
          new StoredService(
              new ServiceSpec("shop", null, DesiredState.RUNNING, null, List.of(component)),
              3,
              "test",
              NOW,
              NOW);
      return this;
    }

    WorkloadSpec spec(ComponentSpec component, int slot) {
      return WorkloadSpecs.of("shop", 3, component, Map.of("tcp", slot == 0 ? FIRST : SPARE), slot);
    }

    Workload run(ComponentSpec component, int slot, String id, WorkloadState state) {
      return run(spec(component, slot), id, state, null);
    }

    Workload run(WorkloadSpec spec, String id, WorkloadState state, Integer exitCode) {
      Workload workload =
          new Workload(
              id,
              spec.name(),
              spec.labels(),
              state,
              exitCode,
              NOW.minusSeconds(5),
              spec.executable(),
              spec.ports(),
              spec.kind());
      workloads.add(workload);
      return workload;
    }

    /** The proxy was asked for, and serves, the route on {@code slot}'s port. */
    Scene routedTo(int slot) {
      published = Set.of(binding(slot));
      served = published;
      return this;
    }

    PlanInput input() {
      return new PlanInput(
          "shop",
          declared,
          workloads,
          ports,
          Map.of(),
          published,
          served,
          history,
          probes,
          NOW,
          Map.of(),
          spares,
          failed,
          servedSince,
          proxied);
    }

    Plan plan() {
      return ServicePlanner.plan(input());
    }
  }

  static RouteBinding binding(int slot) {
    return new RouteBinding(
        "shop",
        "web",
        "tcp",
        RouteMode.L4,
        "web.example.net",
        4443,
        slot == 0 ? FIRST : SPARE,
        null);
  }

  static String hashOnFirst(ComponentSpec component) {
    return new Scene().spec(component, 0).labels().get(Labels.SPEC_HASH);
  }

  @Test
  void aRoutedComponentIsUpdatedBesideByDefault() {
    assertThat(UpdatePolicy.strategyFor(V1)).isEqualTo(UpdateStrategy.BESIDE);
  }

  @Test
  void startTheNewWorkloadOnTheSparePortsWhileTheOldKeepsServing() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);

    Plan plan = scene.plan();

    assertThat(plan.actions())
        .containsExactly(
            new CreateBeside(
                "web", scene.spec(V2, 1).withLabel(Labels.CREATED, NOW.toString()), "old"));
    assertThat(plan.components().get(0).state().wire()).isEqualTo("replacing");
    assertThat(plan.components().get(0).message()).contains("beside old");
  }

  @Test
  void theNewWorkloadIsGivenTheSparePortAsPort() {
    WorkloadSpec onSpare = new Scene().spec(V2, 1);

    assertThat(onSpare.env()).containsEntry("PORT", Integer.toString(SPARE));
    assertThat(onSpare.labels()).containsEntry(Labels.SLOT, "1");
    assertThat(new Scene().spec(V2, 0).labels()).doesNotContainKey(Labels.SLOT);
  }

  @Test
  void anOldWorkloadOnTheSparePortsIsReplacedOnTheFirst() {
    Scene scene = new Scene().declare(V2).routedTo(1);
    scene.run(V1, 1, "old", WorkloadState.RUNNING);

    assertThat(scene.plan().actions())
        .containsExactly(
            new CreateBeside(
                "web", scene.spec(V2, 0).withLabel(Labels.CREATED, NOW.toString()), "old"));
  }

  @Test
  void withoutASparePortOneIsAllocatedFirst() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.spares.clear();
    scene.run(V1, 0, "old", WorkloadState.RUNNING);

    assertThat(scene.plan().actions()).containsExactly(new AllocatePort(KEY, true));
  }

  @Test
  void probeTheOldServesUntilTheNewAnswersItsProbe() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.failed(1, "connection refused", NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.requeueAfter()).isEqualTo(BesideUpdatePlanner.UPDATE_PROBE_RECHECK);
    assertThat(plan.components().get(0).message())
        .contains("waiting for new to answer its probe (last: connection refused)");
    assertThat(ServicePlanner.withConvergence(plan, DesiredState.RUNNING).conditions())
        .anySatisfy(c -> assertThat(c.reason()).isEqualTo("Progressing"));
  }

  @Test
  void probeACreatedNewWorkloadIsStarted() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.CREATED);

    assertThat(scene.plan().actions()).containsExactly(new Start("web", "new", false));
  }

  @Test
  void switchAHealthyNewWorkloadGetsTheRoutesInOnePublish() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).containsExactly(new PublishRoutes(Set.of(binding(1))));
  }

  @Test
  void switchTheOldStaysWhileTheProxyStillServesIt() {
    Scene scene = new Scene().declare(V2);
    scene.published = Set.of(binding(1));
    scene.served = Set.of(binding(0));
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.requeueAfter()).isEqualTo(BesideUpdatePlanner.SWITCH_RECHECK);
    assertThat(plan.components().get(0).message()).contains("switching the proxy to it");
  }

  @Test
  void switchAProxyNotYetSeenServingIsNoSwitch() {
    // The route loop has not recorded what the proxy serves yet: it serves nothing of the old
    // workload's as far as the plan knows, but neither has it taken the new one's.
    Scene scene = new Scene().declare(V2);
    scene.published = Set.of(binding(1));
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.components().get(0).message()).contains("switching the proxy to it");
  }

  @Test
  void switchTheOldIsKeptUntilTheProxyWasAskedForTheNewPorts() {
    Scene scene = new Scene().declare(V2);
    scene.published = Set.of(binding(0));
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    assertThat(scene.plan().actions()).containsExactly(new PublishRoutes(Set.of(binding(1))));
  }

  @Test
  void drainTheOldRunsOnForTheDrainTimeAfterTheSwitch() {
    Scene scene = new Scene().declare(V2).routedTo(1);
    scene.servedSince = NOW.minusSeconds(2);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.requeueAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(plan.components().get(0).message()).contains("old drains until");
  }

  @Test
  void stopADrainedOldWorkloadIsRetired() {
    Scene scene = new Scene().declare(V2).routedTo(1);
    scene.servedSince = NOW.minusSeconds(5);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    assertThat(scene.plan().actions())
        .containsExactly(new Retire("web", "old", "new", Duration.ofSeconds(5)));
  }

  @Test
  void anAgentRestartedAfterTheSwitchRetiresTheOldWithoutWaitingAgain() {
    // A new agent knows nothing but what runs and what the proxy serves: no history, no time
    // at which the proxy switched.
    Scene scene = new Scene().declare(V2).routedTo(1);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);
    scene.probes.put("new", ProbeStatus.passed(NOW));

    assertThat(scene.plan().actions())
        .containsExactly(new Retire("web", "old", "new", Duration.ofSeconds(5)));
  }

  @Test
  void anAgentRestartedBeforeTheSwitchKeepsTheRoutesOnTheOldUntilTheNewIsHealthy() {
    Scene scene = new Scene().declare(V2);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);

    Plan plan = scene.plan();

    assertThat(plan.actions()).containsExactly(new PublishRoutes(Set.of(binding(0))));
  }

  @Test
  void afterTheUpdateTheNewWorkloadRunsOnItsSlotAndNothingIsLeftToDo() {
    Scene scene = new Scene().declare(V2).routedTo(1);
    scene.run(V2, 1, "new", WorkloadState.RUNNING);

    Plan plan = scene.plan();

    assertThat(plan.converged()).isTrue();
    assertThat(plan.components().get(0).state().wire()).isEqualTo("running");
  }

  @Test
  void deadlineANewWorkloadNotHealthyInTimeIsGivenUp() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(
        scene.spec(V2, 1).withLabel(Labels.CREATED, NOW.minusSeconds(10).toString()),
        "new",
        WorkloadState.RUNNING,
        null);
    scene.probes.put("new", ProbeStatus.failed(1, "connection refused", NOW));

    Plan plan = scene.plan();

    assertThat(plan.actions()).singleElement().isInstanceOf(AbandonUpdate.class);
    AbandonUpdate given = (AbandonUpdate) plan.actions().get(0);
    assertThat(given.newWorkloadId()).isEqualTo("new");
    assertThat(given.failure().reason()).isEqualTo(UpdateFailure.PROGRESS_DEADLINE_EXCEEDED);
    assertThat(given.failure().specHash()).isEqualTo(hashOnFirst(V2));
    assertThat(given.failure().message())
        .isEqualTo("new was not healthy within 10s (its probe: connection refused)");
    assertThat(given.autoRevert()).isFalse();
  }

  @Test
  void deadlineBeforeItTheNewWorkloadIsWaitedForNoLongerThanTheDeadline() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(
        scene.spec(V2, 1).withLabel(Labels.CREATED, NOW.minusMillis(9_500).toString()),
        "new",
        WorkloadState.RUNNING,
        null);

    Plan plan = scene.plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.requeueAfter()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void crashLoopANewWorkloadRestartedThreeTimesIsGivenUp() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(scene.spec(V2, 1), "new", WorkloadState.EXITED, 1);
    scene.history.put("web", new ComponentHistory(false, 3, null));

    AbandonUpdate given = (AbandonUpdate) scene.plan().actions().get(0);

    assertThat(given.failure().reason()).isEqualTo(UpdateFailure.NEW_WORKLOAD_CRASH_LOOPING);
    assertThat(given.failure().message()).isEqualTo("new exited with code 1 after 3 restarts");
  }

  @Test
  void crashLoopBeforeThatAnExitedNewWorkloadIsRestarted() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(scene.spec(V2, 1), "new", WorkloadState.EXITED, 1);
    scene.history.put("web", new ComponentHistory(false, 1, null));

    assertThat(scene.plan().actions()).containsExactly(new Start("web", "new", true));
  }

  @Test
  void aNewWorkloadItsRestartPolicyKeepsStoppedIsGivenUpAtOnce() {
    ComponentSpec once = V2.toBuilder().restart(RestartPolicy.NO).build();
    Scene scene = new Scene().declare(once).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(scene.spec(once, 1), "new", WorkloadState.EXITED, 2);

    AbandonUpdate given = (AbandonUpdate) scene.plan().actions().get(0);

    assertThat(given.failure().reason()).isEqualTo(UpdateFailure.NEW_WORKLOAD_EXITED);
  }

  @Test
  void revertAutoRevertIsAskedForWhenTheComponentSaysSo() {
    ComponentSpec reverting =
        V2.toBuilder()
            .update(new UpdatePolicy(null, Duration.ofSeconds(10), Duration.ZERO, true))
            .build();
    Scene scene = new Scene().declare(reverting).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(
        scene.spec(reverting, 1).withLabel(Labels.CREATED, NOW.minusSeconds(60).toString()),
        "new",
        WorkloadState.RUNNING,
        null);

    AbandonUpdate given = (AbandonUpdate) scene.plan().actions().get(0);

    assertThat(given.autoRevert()).isTrue();
  }

  @Test
  void aGivenUpSpecIsNotTriedAgainAndTheServiceSaysWhy() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.failed.put(
        "web",
        new FailedUpdate(
            hashOnFirst(V2), UpdateFailure.PROGRESS_DEADLINE_EXCEEDED, "new was not healthy"));

    Plan plan = ServicePlanner.withConvergence(scene.plan(), DesiredState.RUNNING);

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.conditions())
        .contains(
            new ConditionView(
                "web",
                ConditionTypes.PROGRESSING,
                false,
                "ProgressDeadlineExceeded",
                "new was not healthy"));
    assertThat(plan.conditions())
        .anySatisfy(
            c -> {
              assertThat(c.type()).isEqualTo(ServiceConvergence.TYPE);
              assertThat(c.reason()).isEqualTo("Failed");
            });
    assertThat(plan.components().get(0).message()).contains("old keeps serving");
  }

  @Test
  void aSpecChangedAgainAfterAFailureIsTried() {
    Scene scene = new Scene().declare(web("3")).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.failed.put(
        "web", new FailedUpdate(hashOnFirst(V2), UpdateFailure.PROGRESS_DEADLINE_EXCEEDED, "x"));

    assertThat(scene.plan().actions()).singleElement().isInstanceOf(CreateBeside.class);
  }

  @Test
  void aSpecChangedDuringAnUpdateReplacesTheUnfinishedNewWorkloadNotTheServingOne() {
    ComponentSpec v3 = web("3");
    Scene scene = new Scene().declare(v3).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);
    scene.run(V2, 1, "unfinished", WorkloadState.RUNNING);

    assertThat(scene.plan().actions())
        .containsExactly(
            new Remove("web", "unfinished", "an older workload of the component"),
            new CreateBeside(
                "web", scene.spec(v3, 1).withLabel(Labels.CREATED, NOW.toString()), "old"));
  }

  @Test
  void anOldWorkloadThatDoesNotRunIsReplacedInPlace() {
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.run(scene.spec(V1, 0), "old", WorkloadState.EXITED, 1);

    assertThat(scene.plan().actions())
        .containsExactly(new Replace("web", "old", scene.spec(V2, 0)));
  }

  @Test
  void aRecreateComponentIsReplacedAsBefore() {
    ComponentSpec recreated =
        V2.toBuilder().update(UpdatePolicy.of(UpdateStrategy.RECREATE)).build();
    Scene scene = new Scene().declare(recreated).routedTo(0);
    scene.run(V1, 0, "old", WorkloadState.RUNNING);

    assertThat(scene.plan().actions())
        .containsExactly(new Replace("web", "old", scene.spec(recreated, 0)));
  }

  @Test
  void aNodeWithoutAProxyReplacesAsRecreateKeepingTheRoutesPort() {
    // Nothing could switch traffic, and clients use the route's host port itself.
    Scene scene = new Scene().declare(V2).routedTo(0);
    scene.proxied = false;
    scene.run(V1, 0, "old", WorkloadState.RUNNING);

    assertThat(scene.plan().actions())
        .containsExactly(new Replace("web", "old", scene.spec(V2, 0)));
  }
}
