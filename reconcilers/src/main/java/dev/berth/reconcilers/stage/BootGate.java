package dev.berth.reconcilers.stage;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Stage;
import dev.berth.core.stage.StageListener;
import dev.berth.core.stage.StageStatus;
import dev.berth.core.time.Clock;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.probe.Prober;
import dev.berth.store.model.DesiredState;
import dev.berth.store.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Boot stages as a gate on the service loop: a service of stage N+1 is not reconciled while stage N
 * is not up, so it is not started. Only starting waits: a service that is stopped or deleted is
 * always let through, so an operator can stop anything at any time. Services in no stage start at
 * once.
 */
public final class BootGate implements Gate<String> {

  /** The first recheck of a failing stage; later ones double up to {@link #MAX_RECHECK}. */
  public static final Duration FIRST_RECHECK = Duration.ofSeconds(1);

  public static final Duration MAX_RECHECK = Duration.ofSeconds(30);

  /** How long one probe may take: the gate asks with its lock held. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final OrderedStages<String> stages;
  private final Registry registry;

  public BootGate(
      List<BootStage> configured,
      Registry registry,
      WorkloadCache cache,
      Prober prober,
      Clock clock,
      StageListener listener) {
    this.registry = registry;
    List<Stage<String>> stages = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    for (BootStage stage : configured) {
      Set<String> members = new HashSet<>(stage.services());
      members.removeAll(claimed);
      claimed.addAll(members);
      stages.add(
          new Stage<>(
              stage.name(),
              members::contains,
              new BackoffReadiness(
                  new StageReadiness(stage, registry, cache, prober, PROBE_TIMEOUT),
                  clock,
                  FIRST_RECHECK,
                  MAX_RECHECK),
              stage.timeout(),
              stage.required()));
    }
    this.stages = new OrderedStages<>(stages, clock, listener);
  }

  @Override
  public Admission admit(String service) {
    var declared = registry.services().get(service);
    if (declared.isEmpty() || declared.get().spec().desiredState() != DesiredState.RUNNING) {
      return Admission.GRANTED;
    }
    return stages.admit(service);
  }

  public List<StageStatus> progress() {
    return stages.progress();
  }

  public boolean complete() {
    return stages.complete();
  }
}
