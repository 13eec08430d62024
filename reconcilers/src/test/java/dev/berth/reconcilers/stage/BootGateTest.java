package dev.berth.reconcilers.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.stage.StageListener;
import dev.berth.core.stage.StagePhase;
import dev.berth.core.time.ManualClock;
import dev.berth.reconcilers.observe.Ownership;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.probe.ProbeResult;
import dev.berth.reconcilers.probe.Prober;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boot stages gate starting, on a manual clock: nothing here sleeps. */
class BootGateTest {

  static final String IMAGE = "localhost/app:1";

  @TempDir Path data;
  Registry registry;
  FakeRuntime runtime = new FakeRuntime().addImage(IMAGE);
  WorkloadCache cache =
      new WorkloadCache(runtime, new Ownership(() -> registry.identity().get()), s -> {}, () -> {});
  ManualClock clock = new ManualClock();
  AtomicBoolean healthy = new AtomicBoolean(false);
  AtomicInteger probes = new AtomicInteger();
  List<Integer> probedPorts = new java.util.concurrent.CopyOnWriteArrayList<>();
  Prober prober =
      (target, timeout) -> {
        probes.incrementAndGet();
        probedPorts.add(target.port());
        return healthy.get() ? ProbeResult.pass("ok") : ProbeResult.fail("connection refused");
      };

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(data));
    ComponentSpec probed =
        ComponentSpec.container("db", IMAGE).toBuilder()
            .health(new HealthProbe(ProbeType.TCP, 5432, null, null))
            .build();
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    ServiceSpec.of("registry", probed),
                    ServiceSpec.of("web", ComponentSpec.container("web", IMAGE)),
                    ServiceSpec.of("loose", ComponentSpec.container("loose", IMAGE)))));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  AtomicInteger readinessChanges = new AtomicInteger();

  /** Checks run on the caller's thread, and the stages' period passes only with the clock. */
  BootGate gate(boolean required, StageListener listener) {
    return new BootGate(
        List.of(
            new BootStage("infra", List.of("registry"), Duration.ofSeconds(30), null, required),
            new BootStage("apps", List.of("web"), Duration.ofSeconds(30), null, true)),
        registry,
        cache,
        prober,
        clock,
        listener,
        readinessChanges::incrementAndGet,
        Runnable::run,
        SecretFiles.none());
  }

  void runRegistry() {
    var declared = registry.services().get("registry").orElseThrow();
    runAsThisRegistry(
        WorkloadSpecs.of(
            "registry", declared.generation(), declared.spec().components().get(0), Map.of()));
  }

  @Test
  void aMemberReplacedBesideCountsAsUpOnItsSparePorts() {
    ComponentSpec routed =
        ComponentSpec.container("db", IMAGE).toBuilder()
            .routes(
                new dev.berth.spec.model.RouteSpec(
                    "pg", 5432, dev.berth.spec.model.RouteMode.L4, "db.example.net"))
            .health(new HealthProbe(ProbeType.TCP, 0, "pg", null))
            .build();
    registry.services().apply(ApplyRequest.of("test", List.of(ServiceSpec.of("registry", routed))));
    var key = new dev.berth.store.registry.PortKey("registry", "db", "pg");
    registry.ports().allocate(key, 20001);
    registry.ports().allocateSpare(key, 20002);
    var declared = registry.services().get("registry").orElseThrow();
    runAsThisRegistry(
        WorkloadSpecs.of("registry", declared.generation(), routed, Map.of("pg", 20002), 1));
    healthy.set(true);
    BootGate gate = gate(true, StageListener.NONE);

    gate.admit("registry");
    clock.advance(Duration.ofMinutes(1));

    assertThat(gate.admit("web").admitted()).isTrue();
    assertThat(probedPorts).isNotEmpty().containsOnly(20002);
  }

  @Test
  void theFirstStageAndUnstagedServicesAreAdmittedAtOnce() {
    BootGate gate = gate(true, StageListener.NONE);
    assertThat(gate.admit("registry").admitted()).isTrue();
    assertThat(gate.admit("loose").admitted()).isTrue();
  }

  @Test
  void aLaterStageWaitsUntilTheEarlierOneRunsAndAnswersItsProbe() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    assertThat(gate.admit("web").admitted()).isFalse();
    assertThat(gate.admit("web").reason()).contains("db is not running its current spec");
    runRegistry();
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").reason()).contains("fails its tcp://127.0.0.1:5432 probe");
    healthy.set(true);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").admitted()).isTrue();
  }

  @Test
  void aStageWaitedForIsProbedEveryPeriodAndTheGateAnswersFromTheLastProbe() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    runRegistry();
    gate.admit("web");
    int first = probes.get();
    for (int i = 0; i < 10; i++) {
      gate.admit("web");
    }
    assertThat(probes.get()).as("admitting does not probe").isEqualTo(first);

    clock.advance(StageWatch.PERIOD.multipliedBy(10));

    assertThat(probes.get()).isEqualTo(first + 10);
  }

  @Test
  void aStageNobodyWaitsForIsNotProbed() {
    gate(true, StageListener.NONE);
    runRegistry();

    clock.advance(Duration.ofMinutes(1));

    assertThat(probes.get()).isZero();
  }

  @Test
  void theStageFoundUpIsSaidAtOnceAndNoLongerProbed() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    runRegistry();
    gate.admit("web");
    clock.advance(Duration.ofSeconds(20)); // many failed checks, and no backoff grew meanwhile
    assertThat(readinessChanges.get()).isZero();

    healthy.set(true);
    clock.advance(StageWatch.PERIOD);

    assertThat(readinessChanges.get()).isEqualTo(1);
    assertThat(gate.admit("web").admitted()).isTrue();
    int probed = probes.get();
    clock.advance(Duration.ofMinutes(1));
    assertThat(probes.get()).isEqualTo(probed);
  }

  @Test
  void aMemberWhoseWorkloadsChangedHasItsStageCheckedAtOnce() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    assertThat(gate.admit("web").reason()).contains("db is not running its current spec");
    healthy.set(true);
    runRegistry();

    gate.workloadsChanged("registry"); // the clock does not move

    assertThat(readinessChanges.get()).isEqualTo(1);
    assertThat(gate.admit("web").admitted()).isTrue();
  }

  @Test
  void anOptionalStageLetsTheNextOneProceedAfterItsTimeoutAndSaysSo() {
    List<String> phases = new java.util.ArrayList<>();
    BootGate gate = gate(false, (stage, from, to, reason) -> phases.add(stage + ":" + to));
    gate.admit("registry");
    assertThat(gate.admit("web").admitted()).isFalse();
    clock.advance(Duration.ofSeconds(31));
    assertThat(gate.admit("web").admitted()).isTrue();
    assertThat(phases).contains("infra:" + StagePhase.SKIPPED);
  }

  @Test
  void aRequiredStageKeepsLaterOnesWaitingPastItsTimeout() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    clock.advance(Duration.ofMinutes(5));
    assertThat(gate.admit("web").admitted()).isFalse();
    assertThat(gate.progress().get(0).phase()).isEqualTo(StagePhase.FAILED);
  }

  void bootCompletely(BootGate gate) {
    gate.admit("registry");
    runRegistry();
    healthy.set(true);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").admitted()).isTrue();
    runWeb();
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.complete()).isTrue();
  }

  void runWeb() {
    var declared = registry.services().get("web").orElseThrow();
    runAsThisRegistry(
        WorkloadSpecs.of(
            "web", declared.generation(), declared.spec().components().get(0), Map.of()));
  }

  /** As the node's loops would: labelled with the registry's id, then seen by a relist. */
  void runAsThisRegistry(WorkloadSpec spec) {
    runtime.run(spec.withLabel(Labels.REGISTRY, registry.identity().get().id()));
    cache.relist();
  }

  @Test
  void afterALossOfEveryWorkloadLaterStagesStartAgainOnlyOnceEarlierOnesAreUp() {
    BootGate gate = gate(true, StageListener.NONE);
    bootCompletely(gate);
    runtime.loseState();
    cache.relist();
    healthy.set(false);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("registry").admitted()).isTrue();
    assertThat(gate.admit("web").admitted()).isFalse();
    assertThat(gate.admit("web").waitingFor()).isEqualTo("infra");
    runRegistry();
    healthy.set(true);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").admitted()).isTrue();
  }

  @Test
  void aLossOfEveryWorkloadHoldsLaterStagesThoughTheEarlierOnesReadyAnswerIsFresh() {
    BootGate gate = gate(true, StageListener.NONE);
    gate.admit("registry");
    runRegistry();
    healthy.set(true);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").admitted()).isTrue(); // infra checked now: ready, and fresh
    runtime.loseState();
    cache.relist();
    healthy.set(false);

    gate.workloadsChanged("registry"); // as the node's cache says; the clock does not move

    assertThat(gate.admit("web").admitted()).isFalse();
    assertThat(gate.admit("web").waitingFor()).isEqualTo("infra");
  }

  @Test
  void afterBootARunningServiceIsNeverHeldByAnEarlierStage() {
    BootGate gate = gate(true, StageListener.NONE);
    bootCompletely(gate);
    healthy.set(false);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.admit("web").admitted()).isTrue();
  }

  @Test
  void stoppingIsNeverHeldBack() {
    BootGate gate = gate(true, StageListener.NONE);
    registry.services().setDesiredState("web", DesiredState.STOPPED, null);
    assertThat(gate.admit("web").admitted()).isTrue();
  }
}
