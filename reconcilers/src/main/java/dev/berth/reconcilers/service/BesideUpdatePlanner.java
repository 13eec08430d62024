package dev.berth.reconcilers.service;

import static dev.berth.reconcilers.service.ServicePlanner.earliest;
import static dev.berth.reconcilers.service.ServicePlanner.ensureImage;
import static dev.berth.reconcilers.service.ServicePlanner.observedView;
import static dev.berth.reconcilers.service.ServicePlanner.planComponent;
import static dev.berth.reconcilers.service.ServicePlanner.restartWanted;
import static dev.berth.reconcilers.service.ServicePlanner.routePorts;

import dev.berth.reconcilers.probe.ProbeStatus;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.service.Action.AbandonUpdate;
import dev.berth.reconcilers.service.Action.AllocatePort;
import dev.berth.reconcilers.service.Action.CreateBeside;
import dev.berth.reconcilers.service.Action.Remove;
import dev.berth.reconcilers.service.Action.Replace;
import dev.berth.reconcilers.service.Action.Retire;
import dev.berth.reconcilers.service.Action.Start;
import dev.berth.reconcilers.service.ServicePlanner.ComponentPlan;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DurationSyntax;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.Exits;
import dev.berth.spec.status.UpdateFailure;
import dev.berth.store.registry.PortKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan of one component updated beside ({@link UpdatePolicy#strategyFor}) for {@link
 * ServicePlanner}: while no update is under way, the ordinary rules on the slot of the workload
 * there is; once its spec changed, a replacement in steps, each derived from what is observed, so
 * that a restarted agent takes up where it was:
 *
 * <ol>
 *   <li>start: the new workload is created on the slot of host ports the old one does not use
 *       (allocating the spare ports first), labelled with its creation time; the old one keeps
 *       running and serving;
 *   <li>probe: until the new workload's probe passes ({@link PlanInput#probes}), nothing else; if
 *       it is not healthy within the update deadline, exits for good, or is restarted {@value
 *       #CRASH_LOOP_RESTARTS} times, the update is given up ({@link AbandonUpdate}) and that spec
 *       is not tried again until it changes;
 *   <li>switch: the routes are published on the new workload's ports, and the plan waits until the
 *       proxy serves none on the old's;
 *   <li>drain: the old workload keeps running for the drain time after the proxy's routes changed;
 *   <li>stop: the old workload is stopped and removed ({@link Retire}).
 * </ol>
 *
 * <p>Pure, as the rest of the planner: no runtime, registry or clock behind it.
 */
final class BesideUpdatePlanner {

  /** How often a new workload may be restarted before its update is given up as crash-looping. */
  public static final int CRASH_LOOP_RESTARTS = 3;

  /**
   * How soon to look again while a new workload is not healthy yet; its probe's results enqueue the
   * service too, so this is only a backstop.
   */
  public static final Duration UPDATE_PROBE_RECHECK = Duration.ofSeconds(1);

  /** How soon to look again while waiting for the proxy to switch to a new workload. */
  public static final Duration SWITCH_RECHECK = Duration.ofSeconds(1);

  private BesideUpdatePlanner() {}

  /**
   * A component updated beside: which of its workloads run the current spec (on either slot) and
   * which an older one, and the steps between them (see the class comment).
   */
  static ComponentPlan plan(
      PlanInput input,
      ServiceSpec spec,
      ComponentSpec component,
      List<Workload> observed,
      List<Action> actions) {
    long generation = input.declared().generation();
    WorkloadSpec onFirst =
        WorkloadSpecs.of(
            spec.name(),
            generation,
            component,
            routePorts(input, spec, component, 0),
            input.secretDigests(),
            0);
    Map<String, Integer> sparePorts = routePorts(input, spec, component, 1);
    WorkloadSpec onSpare =
        sparePorts.containsValue(null)
            ? null
            : WorkloadSpecs.of(
                spec.name(), generation, component, sparePorts, input.secretDigests(), 1);
    Integer published = publishedSlot(input, spec, component);
    List<Workload> fresh = new ArrayList<>();
    List<Workload> old = new ArrayList<>();
    for (Workload workload : observed) {
      WorkloadSpec desired = WorkloadSpecs.slotOf(workload.labels()) == 0 ? onFirst : onSpare;
      (desired != null && hashOf(desired).equals(workload.specHash()) ? fresh : old).add(workload);
    }
    fresh = rankBySlot(fresh, published);
    if (old.isEmpty()) {
      // No update under way: the ordinary rules, on the slot of the workload there is.
      int slot = fresh.isEmpty() ? 0 : WorkloadSpecs.slotOf(fresh.get(0).labels());
      return planComponent(input, component, slot == 0 ? onFirst : onSpare, fresh, actions)
          .onSlot(slot);
    }
    old = rankBySlot(old, published);
    Workload serving = old.get(0);
    for (Workload extra : old.subList(1, old.size())) {
      actions.add(new Remove(component.name(), extra.id(), "an older workload of the component"));
    }
    int oldSlot = WorkloadSpecs.slotOf(serving.labels());
    if (fresh.isEmpty()) {
      return startBeside(input, spec, component, serving, onFirst, onSpare, actions)
          .onSlot(oldSlot);
    }
    Workload next = fresh.get(0);
    for (Workload extra : fresh.subList(1, fresh.size())) {
      actions.add(new Remove(component.name(), extra.id(), "a second new workload"));
    }
    String runtime = component.runtime().wire();
    String hash = hashOf(onFirst);
    ProbeStatus probe = input.probeOf(next.id());
    // A node that probes nothing takes running for healthy, as it does for Ready.
    boolean healthy = input.probes() == null ? next.running() : probe != null && probe.healthy();
    if (!next.running() || !healthy) {
      return awaitHealthy(input, component, serving, next, hash, probe, actions).onSlot(oldSlot);
    }
    int newSlot = WorkloadSpecs.slotOf(next.labels());
    Set<Integer> oldPorts = new HashSet<>(routePorts(input, spec, component, oldSlot).values());
    boolean switched = switched(input, component, oldPorts);
    if (!switched) {
      return new ComponentPlan(
              replacing(
                  component,
                  runtime,
                  serving,
                  next,
                  hash,
                  "replacing beside: "
                      + next.id()
                      + " is healthy; switching the proxy to it from "
                      + serving.id()),
              SWITCH_RECHECK)
          .onSlot(newSlot);
    }
    Duration drain = component.update().drain();
    Instant drained = input.servedSince() == null ? input.now() : input.servedSince().plus(drain);
    if (input.now().isBefore(drained)) {
      return new ComponentPlan(
              replacing(
                  component,
                  runtime,
                  serving,
                  next,
                  hash,
                  "replacing beside: the proxy serves "
                      + next.id()
                      + "; "
                      + serving.id()
                      + " drains until "
                      + drained),
              Duration.between(input.now(), drained))
          .onSlot(newSlot);
    }
    actions.add(new Retire(component.name(), serving.id(), next.id(), drain));
    return new ComponentPlan(
            replacing(
                component,
                runtime,
                serving,
                next,
                hash,
                "replacing beside: " + serving.id() + " drained; stopping it"),
            null)
        .onSlot(newSlot);
  }

  /**
   * Whether the proxy took the switch: what Berth asks it to serve of the component points at none
   * of the old workload's ports, and it serves all of that and nothing of the component on them. It
   * must be seen serving, not only not seen serving the old: a served set not known yet (the route
   * loop has not recorded the proxy's first routes) holds nothing of either, and taking that for a
   * switch would stop the old workload while the proxy still sends it traffic.
   */
  private static boolean switched(PlanInput input, ComponentSpec component, Set<Integer> oldPorts) {
    Set<RouteBinding> asked = new HashSet<>();
    for (RouteBinding route : input.published()) {
      if (route.component().equals(component.name())) {
        asked.add(route);
      }
    }
    boolean onOld =
        input.served().stream()
            .anyMatch(
                r -> r.component().equals(component.name()) && oldPorts.contains(r.backendPort()));
    return asked.stream().noneMatch(r -> oldPorts.contains(r.backendPort()))
        && input.served().containsAll(asked)
        && !onOld;
  }

  /**
   * The first step of an update beside {@code serving}: the new workload on the other slot, its
   * spare ports allocated first. A serving workload that does not run is replaced as recreate would
   * (nothing is served meanwhile anyway); a spec whose update was given up is not tried again, and
   * the component says why.
   */
  private static ComponentPlan startBeside(
      PlanInput input,
      ServiceSpec spec,
      ComponentSpec component,
      Workload serving,
      WorkloadSpec onFirst,
      WorkloadSpec onSpare,
      List<Action> actions) {
    String runtime = component.runtime().wire();
    String hash = hashOf(onFirst);
    String image = onFirst.image() != null ? onFirst.image() : onFirst.executable();
    FailedUpdate failed = input.failedUpdates().get(component.name());
    if (failed != null && failed.specHash().equals(hash)) {
      String message =
          "the update to the current spec failed ("
              + failed.message()
              + "); "
              + serving.id()
              + " keeps serving the previous spec";
      return new ComponentPlan(
          observedView(component, runtime, serving, serving.specHash(), message),
          null,
          null,
          0,
          new ConditionView(
              component.name(),
              ConditionTypes.PROGRESSING,
              false,
              failed.reason().wire(),
              failed.message()));
    }
    int oldSlot = WorkloadSpecs.slotOf(serving.labels());
    if (!serving.running()) {
      WorkloadSpec desired = oldSlot == 0 ? onFirst : onSpare;
      ensureImage(component, desired, actions);
      actions.add(new Replace(component.name(), serving.id(), desired));
      return new ComponentPlan(
          ComponentView.replacing(component.name(), runtime, serving.id(), image, hash)
              .withState(
                  ComponentPhase.REPLACING,
                  "the spec changed and "
                      + serving.id()
                      + " does not run: replacing it in place (nothing to keep serving)"),
          null);
    }
    if (oldSlot == 0 && onSpare == null) {
      for (RouteSpec route : component.routes()) {
        PortKey key = new PortKey(spec.name(), component.name(), route.name());
        if (!input.spares().containsKey(key)) {
          actions.add(new AllocatePort(key, true));
        }
      }
      return new ComponentPlan(
          ComponentView.replacing(component.name(), runtime, serving.id(), image, hash)
              .withState(
                  ComponentPhase.REPLACING,
                  "replacing beside: allocating spare host ports for the new workload"),
          null);
    }
    WorkloadSpec desired =
        (oldSlot == 0 ? onSpare : onFirst).withLabel(Labels.CREATED, input.now().toString());
    ensureImage(component, desired, actions);
    actions.add(new CreateBeside(component.name(), desired, serving.id()));
    return new ComponentPlan(
        ComponentView.replacing(component.name(), runtime, serving.id(), image, hash)
            .withState(
                ComponentPhase.REPLACING,
                "replacing beside: starting the new workload beside " + serving.id()),
        null);
  }

  /**
   * The second step: the new workload {@code next} runs beside {@code serving} until its probe
   * passes. A created one is started, an exited one restarted after its backoff; one that will not
   * become healthy (past the deadline, crash-looping, or exited for good) is given up.
   */
  private static ComponentPlan awaitHealthy(
      PlanInput input,
      ComponentSpec component,
      Workload serving,
      Workload next,
      String hash,
      ProbeStatus probe,
      List<Action> actions) {
    String runtime = component.runtime().wire();
    Instant deadline = createdAt(next, input.now()).plus(component.update().deadline());
    ComponentHistory history =
        input.history().getOrDefault(component.name(), ComponentHistory.NONE);
    FailedUpdate failure = null;
    String waitingFor = "to answer its probe";
    Duration requeue = UPDATE_PROBE_RECHECK;
    if (next.state() == WorkloadState.EXITED) {
      String ended =
          next.id()
              + " "
              + (next.oomKilled()
                  ? Exits.outOfMemory(component.memoryMb())
                  : Exits.describe(next.exitCode()));
      if (!restartWanted(component.restart(), next.exitCode(), next.oomKilled())) {
        failure =
            new FailedUpdate(
                hash,
                UpdateFailure.NEW_WORKLOAD_EXITED,
                ended
                    + " and its restart policy \""
                    + component.restart().wire()
                    + "\" keeps it stopped");
      } else if (history.restarts() >= CRASH_LOOP_RESTARTS) {
        failure =
            new FailedUpdate(
                hash,
                UpdateFailure.NEW_WORKLOAD_CRASH_LOOPING,
                ended + " after " + history.restarts() + " restarts");
      } else if (history.nextRestartAt() != null && input.now().isBefore(history.nextRestartAt())) {
        waitingFor = "to be restarted at " + history.nextRestartAt() + " (it " + ended + ")";
        requeue = Duration.between(input.now(), history.nextRestartAt());
      } else {
        actions.add(new Start(component.name(), next.id(), true));
        waitingFor = "to start again (it " + ended + ")";
      }
    } else if (next.state() == WorkloadState.CREATED) {
      actions.add(new Start(component.name(), next.id(), false));
      waitingFor = "to start";
    }
    if (failure == null && !input.now().isBefore(deadline)) {
      failure =
          new FailedUpdate(
              hash,
              UpdateFailure.PROGRESS_DEADLINE_EXCEEDED,
              next.id()
                  + " was not healthy within "
                  + DurationSyntax.format(component.update().deadline())
                  + (probe == null || probe.healthy()
                      ? ""
                      : " (its probe: " + probe.lastError() + ")"));
    }
    if (failure != null) {
      actions.removeIf(a -> a instanceof Start s && s.workloadId().equals(next.id()));
      actions.add(
          new AbandonUpdate(component.name(), next.id(), failure, component.update().autoRevert()));
      return new ComponentPlan(
          observedView(
              component,
              runtime,
              serving,
              serving.specHash(),
              "giving up the update: "
                  + failure.message()
                  + "; "
                  + serving.id()
                  + " keeps serving"),
          null);
    }
    return new ComponentPlan(
        replacing(
            component,
            runtime,
            serving,
            next,
            hash,
            "replacing beside: waiting for "
                + next.id()
                + " "
                + waitingFor
                + (probe == null || probe.healthy() ? "" : " (last: " + probe.lastError() + ")")
                + " until "
                + deadline
                + "; "
                + serving.id()
                + " serves meanwhile"),
        earliest(requeue, Duration.between(input.now(), deadline)));
  }

  /** A component whose old workload serves while its new one makes its way. */
  private static ComponentView replacing(
      ComponentSpec component,
      String runtime,
      Workload serving,
      Workload next,
      String hash,
      String message) {
    return ComponentView.replacing(component.name(), runtime, serving.id(), next.image(), hash)
        .withState(ComponentPhase.REPLACING, message);
  }

  /** When Berth created a workload beside an old one; its start (or {@code now}) if unlabelled. */
  private static Instant createdAt(Workload workload, Instant now) {
    String label = workload.labels().get(Labels.CREATED);
    if (label != null) {
      try {
        return Instant.parse(label);
      } catch (DateTimeParseException e) {
        // Not one of ours to trust: fall back on what the runtime says.
      }
    }
    return workload.startedAt() != null ? workload.startedAt() : now;
  }

  /**
   * The slot the proxy was last asked to send the component's traffic to, read from the backend
   * port of its published routes; null when none is published.
   */
  private static Integer publishedSlot(PlanInput input, ServiceSpec spec, ComponentSpec component) {
    for (RouteBinding binding : input.published()) {
      if (!binding.component().equals(component.name())) {
        continue;
      }
      PortKey key = new PortKey(spec.name(), component.name(), binding.route());
      if (Integer.valueOf(binding.backendPort()).equals(input.ports().get(key))) {
        return 0;
      }
      if (Integer.valueOf(binding.backendPort()).equals(input.spares().get(key))) {
        return 1;
      }
    }
    return null;
  }

  /** Best first: on the published slot, running, most recently started, then by id. */
  private static List<Workload> rankBySlot(List<Workload> workloads, Integer published) {
    List<Workload> ranked = new ArrayList<>(workloads);
    ranked.sort(
        Comparator.comparing(
                (Workload w) -> published == null || WorkloadSpecs.slotOf(w.labels()) != published)
            .thenComparing(w -> !w.running())
            .thenComparing(
                (Workload w) -> w.startedAt() == null ? Instant.MIN : w.startedAt(),
                Comparator.reverseOrder())
            .thenComparing(Workload::id));
    return ranked;
  }

  private static String hashOf(WorkloadSpec spec) {
    return spec.labels().get(Labels.SPEC_HASH);
  }
}
