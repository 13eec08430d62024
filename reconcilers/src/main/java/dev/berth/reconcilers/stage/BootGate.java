package dev.berth.reconcilers.stage;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.ReadinessCheck;
import dev.berth.core.stage.Stage;
import dev.berth.core.stage.StageListener;
import dev.berth.core.stage.StageStatus;
import dev.berth.core.time.Clock;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.probe.Prober;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.runtime.Workload;
import dev.berth.spec.model.DesiredState;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.StoredService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Boot stages as a gate on the service loop: a service of stage N+1 is not reconciled while stage N
 * is not up, so it is not started. Only starting waits: a service that is stopped or deleted is
 * always let through, so an operator can stop anything at any time. Services in no stage start at
 * once.
 *
 * <p>The order holds after boot too, for services that must be started again: when the node lost
 * its workloads (a container runtime that lost its database), a service whose components do not all
 * run waits until the required stages before its own are up again. A service that runs is never
 * held: its repairs, replaces and routes go on whatever the other stages do.
 *
 * <p>The stages' readiness is watched off the gate's thread ({@link StageWatch}): the gate answers
 * from the last check, never waiting for a probe, and when a stage that services wait for is found
 * up, {@code readinessChanged} is told at once, so the next stage starts within a second.
 */
public final class BootGate implements Gate<String>, AutoCloseable {

  /** How long one probe may take. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final OrderedStages<String> stages;
  private final List<BootStage> configured;
  private final List<ReadinessCheck> readiness = new ArrayList<>();
  private final Registry registry;
  private final WorkloadCache cache;
  private final StageWatch watch;
  private final ExecutorService ownExecutor;

  /**
   * Stages whose readiness is checked on a thread of the gate's own.
   *
   * @param readinessChanged told when a stage that services wait for is found ready: offer the held
   *     services to the gate again now
   */
  public BootGate(
      List<BootStage> configured,
      Registry registry,
      WorkloadCache cache,
      Prober prober,
      Clock clock,
      StageListener listener,
      Runnable readinessChanged,
      SecretFiles secrets) {
    this(configured, registry, cache, prober, clock, listener, readinessChanged, null, secrets);
  }

  /** As above, with readiness checked on {@code executor} (a direct one in tests), or null. */
  BootGate(
      List<BootStage> configured,
      Registry registry,
      WorkloadCache cache,
      Prober prober,
      Clock clock,
      StageListener listener,
      Runnable readinessChanged,
      Executor executor,
      SecretFiles secrets) {
    this.registry = registry;
    this.cache = cache;
    this.configured = List.copyOf(configured);
    this.ownExecutor =
        executor != null
            ? null
            : Executors.newSingleThreadExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "berth-stage-watch");
                  thread.setDaemon(true);
                  return thread;
                });
    List<ReadinessCheck> checks = new ArrayList<>();
    for (BootStage stage : configured) {
      checks.add(new StageReadiness(stage, registry, cache, prober, PROBE_TIMEOUT, secrets));
    }
    this.watch =
        new StageWatch(checks, clock, executor != null ? executor : ownExecutor, readinessChanged);
    List<Stage<String>> stages = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    for (int i = 0; i < configured.size(); i++) {
      BootStage stage = configured.get(i);
      Set<String> members = new HashSet<>(stage.services());
      members.removeAll(claimed);
      claimed.addAll(members);
      ReadinessCheck check = watch.stage(i);
      readiness.add(check);
      stages.add(
          new Stage<>(stage.name(), members::contains, check, stage.timeout(), stage.required()));
    }
    this.stages = new OrderedStages<>(stages, clock, listener);
  }

  /**
   * The workloads of {@code service} may have changed: if it is a member of a stage, that stage's
   * last answer is dropped and it is checked now, so that what waits for it is not let in on an
   * answer from before the change (after runtime state loss, every workload vanishes at once).
   */
  public void workloadsChanged(String service) {
    int stage = stageOf(service);
    if (stage >= 0) {
      watch.changed(stage);
    }
  }

  @Override
  public Admission admit(String service) {
    var declared = registry.services().get(service);
    if (declared.isEmpty() || declared.get().spec().desiredState() != DesiredState.RUNNING) {
      return Admission.GRANTED;
    }
    Admission boot = stages.admit(service);
    if (!boot.admitted()) {
      return boot;
    }
    // Passing a stage is final in OrderedStages; starting a service again is not a boot.
    return restartInOrder(declared.get());
  }

  private Admission restartInOrder(StoredService declared) {
    int own = stageOf(declared.name());
    if (own <= 0 || runsEveryComponent(declared)) {
      return Admission.GRANTED;
    }
    for (int i = 0; i < own; i++) {
      if (!configured.get(i).required()) {
        continue;
      }
      Readiness ready;
      try {
        ready = readiness.get(i).check();
      } catch (Exception e) {
        ready = Readiness.notReady(String.valueOf(e.getMessage()));
      }
      if (!ready.ready()) {
        return Admission.waitingFor(configured.get(i).name(), ready.reason());
      }
    }
    return Admission.GRANTED;
  }

  /** The first stage naming the service, as {@link OrderedStages} decides membership. */
  private int stageOf(String service) {
    for (int i = 0; i < configured.size(); i++) {
      if (configured.get(i).services().contains(service)) {
        return i;
      }
    }
    return -1;
  }

  private boolean runsEveryComponent(StoredService declared) {
    Set<String> running = new HashSet<>();
    for (Workload workload : cache.workloadsOf(declared.name())) {
      if (workload.running()) {
        running.add(workload.component());
      }
    }
    return declared.spec().components().stream().allMatch(c -> running.contains(c.name()));
  }

  /** The progress of each boot stage, in order. */
  public List<StageStatus> progress() {
    return stages.progress();
  }

  /** Whether every stage has passed or been skipped. */
  public boolean complete() {
    return stages.complete();
  }

  /** Stops watching the stages' readiness. */
  @Override
  public void close() {
    watch.close();
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }
}
