package dev.berth.reconcilers.service;

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
import dev.berth.reconcilers.service.Action.StopUnhealthy;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.CertificateReason;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.Exits;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.store.registry.PortKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Desired × observed → actions: a pure function, with no runtime, registry or clock behind it.
 *
 * <p>The rules, in the order they apply:
 *
 * <ol>
 *   <li>Ports first: a route without a host port gets {@link AllocatePort}, and nothing else is
 *       planned until every route has one (the workload's spec depends on them).
 *   <li>One workload per component: extra workloads of a component are removed, keeping the one
 *       that best matches (current spec, running, newest).
 *   <li>Running: a missing workload is created (its image ensured first), and called vanished if
 *       Berth saw it and did not remove it; a workload of an older spec is replaced (beside it, for
 *       a component updated beside: see below); a created one is started; an exited one is
 *       restarted if its restart policy says so (or Berth stopped it), after its crash-loop
 *       backoff. A workload that ended on its own owes one event saying how (exit code or signal),
 *       whatever its restart policy.
 *   <li>Health: a running component with a health probe is Ready only while its probe passes (as
 *       {@link PlanInput#probes} says); one whose liveness probe failed its threshold of times in a
 *       row, past its initial delay, is stopped ({@link StopUnhealthy}), and from then on is an
 *       exited workload like any other: its restart policy and crash-loop backoff decide.
 *   <li>Routes are published when their port is allocated and, for L7, when the certificate is
 *       ready; a certificate nobody asked for is requested. A missing certificate blocks its route,
 *       never the rest.
 *   <li>Stopped or deleted: routes are withdrawn first; workloads are stopped (kept) or removed
 *       only once the proxy no longer serves them.
 *   <li>Workloads of components no longer declared are removed.
 * </ol>
 *
 * <p>A component updated beside ({@link UpdatePolicy#strategyFor}) whose spec changed is replaced
 * in steps, planned by {@link BesideUpdatePlanner}.
 *
 * <p>Two more views of a service, for status alone: {@link #held} while boot stages hold it back,
 * and {@link #failed} once the runtime refused an action.
 */
public final class ServicePlanner {

  /** How soon to look again while waiting for the proxy to drop a service's routes. */
  public static final Duration ROUTE_WITHDRAWAL_RECHECK = Duration.ofSeconds(2);

  private ServicePlanner() {}

  /**
   * What to do for one service, from what is declared and what runs; pure, it reads and changes
   * nothing.
   */
  public static Plan plan(PlanInput input) {
    ServiceSpec spec = input.declared() == null ? null : input.declared().spec();
    if (spec == null) {
      return planDeleted(input);
    }
    if (spec.desiredState() == DesiredState.STOPPED) {
      return planStopped(input, spec);
    }
    return planRunning(input, spec);
  }

  // ---- running ----

  private static Plan planRunning(PlanInput input, ServiceSpec spec) {
    List<Action> allocations = missingPorts(input, spec);
    List<ComponentView> views = new ArrayList<>();
    List<ConditionView> conditions = new ArrayList<>();
    if (!allocations.isEmpty()) {
      for (ComponentSpec component : spec.components()) {
        views.add(pending(component, "allocating host ports for its routes"));
      }
      return new Plan(allocations, views, conditions, null);
    }
    List<Action> actions = new ArrayList<>();
    Map<String, List<Workload>> byComponent = byComponent(input.workloads());
    removeUndeclared(spec, byComponent, actions);
    Duration requeue = null;
    List<Plan.Ending> endings = new ArrayList<>();
    Set<RouteBinding> routes = new LinkedHashSet<>();
    for (ComponentSpec component : spec.components()) {
      List<Workload> observed = byComponent.getOrDefault(component.name(), List.of());
      ComponentPlan planned;
      if (input.proxied() && UpdatePolicy.strategyFor(component) == UpdateStrategy.BESIDE) {
        planned = BesideUpdatePlanner.plan(input, spec, component, observed, actions);
      } else {
        WorkloadSpec workload =
            WorkloadSpecs.of(
                spec.name(),
                input.declared().generation(),
                component,
                routePorts(input, spec, component),
                input.secretDigests());
        planned = planComponent(input, component, workload, observed, actions);
      }
      views.add(planned.view());
      conditions.add(readyCondition(planned.view()));
      if (planned.progressing() != null) {
        conditions.add(planned.progressing());
      }
      requeue = earliest(requeue, planned.requeueAfter());
      if (planned.ending() != null) {
        endings.add(planned.ending());
      }
      planRoutes(input, spec, component, planned.slot(), routes, actions, conditions);
    }
    if (!routes.equals(input.published())) {
      actions.add(new PublishRoutes(Set.copyOf(routes)));
    }
    return unready(
        new Plan(actions, views, conditions, requeue, endings), probeFailures(input, spec, views));
  }

  /**
   * The components whose workload runs the current spec but whose declared health probe has not
   * passed (not probed yet, or failing), with what it found. None when the node probes nothing.
   */
  private static Map<String, String> probeFailures(
      PlanInput input, ServiceSpec spec, List<ComponentView> views) {
    if (input.probes() == null) {
      return Map.of();
    }
    Map<String, ComponentView> byName = new HashMap<>();
    views.forEach(v -> byName.put(v.component(), v));
    Map<String, String> failing = new HashMap<>();
    for (ComponentSpec component : spec.components()) {
      HealthProbe health = component.health();
      ComponentView view = byName.get(component.name());
      if (health == null || view == null || view.state() != ComponentPhase.RUNNING) {
        continue;
      }
      ProbeStatus found = input.probeOf(view.workloadId());
      if (found == null) {
        failing.put(component.name(), "its " + describe(health) + " has not been probed yet");
      } else if (!found.healthy()) {
        failing.put(
            component.name(),
            "its "
                + describe(health)
                + " fails: "
                + found.lastError()
                + (health.liveness()
                    ? " ("
                        + found.consecutiveFailures()
                        + " of "
                        + health.failureThreshold()
                        + " failures in a row before a restart)"
                    : ""));
      }
    }
    return failing;
  }

  /**
   * A health probe in words: {@code http probe on port 8080 /healthz}, {@code tcp probe on route
   * web}.
   */
  static String describe(HealthProbe health) {
    String where = health.route() != null ? "route " + health.route() : "port " + health.port();
    String path = health.path() == null || health.path().isEmpty() ? "" : " " + health.path();
    return health.type().wire() + " probe on " + where + path;
  }

  /**
   * What status says of a service the boot stages hold back, so not reconciled: a component whose
   * workload runs the current spec shows as running (it does, whoever waits); any other is {@code
   * waiting}, its Ready condition False with reason {@code WaitingForStage}, both naming the stage.
   * Nothing is to be done meanwhile, so the plan has no actions.
   *
   * @param stage the boot stage it waits for
   * @param why why that stage does not let it in yet
   */
  public static Plan held(PlanInput input, String stage, String why) {
    Plan planned = plan(input);
    String message = "waits for boot stage " + stage + (why == null ? "" : ": " + why);
    List<ComponentView> views = new ArrayList<>();
    List<ConditionView> conditions = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (ComponentView view : planned.components()) {
      if (view.state().ready()) {
        views.add(view);
      } else {
        waiting.add(view.component());
        views.add(view.withState(ComponentPhase.WAITING, message));
      }
    }
    for (ConditionView condition : planned.conditions()) {
      conditions.add(
          condition.type().equals(ConditionTypes.READY) && waiting.contains(condition.component())
              ? new ConditionView(
                  condition.component(),
                  ConditionTypes.READY,
                  false,
                  ComponentPhase.WAITING.readyReason(),
                  message)
              : condition);
    }
    return new Plan(List.of(), views, conditions, null);
  }

  /**
   * What status says once an action for {@code component} failed in the runtime: the component's
   * state and its Ready reason are the failure's word ({@link ActionFailure}), and the message says
   * what failed and what the runtime said, so that neither reads "creating" while nothing will be
   * created until someone acts.
   *
   * @param what the action that failed, in words ({@code create shop_web})
   */
  public static Plan failed(Plan plan, String component, String what, RuntimeFailure failure) {
    ActionFailure reason = ActionFailures.of(failure.reason());
    String message =
        what
            + " failed: "
            + failure.getMessage()
            + (reason.terminal() ? "" : " (trying again with backoff)");
    List<ComponentView> views = new ArrayList<>();
    for (ComponentView view : plan.components()) {
      views.add(view.component().equals(component) ? view.withState(reason, message) : view);
    }
    List<ConditionView> conditions = new ArrayList<>();
    for (ConditionView condition : plan.conditions()) {
      conditions.add(
          condition.type().equals(ConditionTypes.READY) && condition.component().equals(component)
              ? new ConditionView(
                  component, ConditionTypes.READY, false, reason.readyReason(), message)
              : condition);
    }
    return new Plan(plan.actions(), views, conditions, plan.requeueAfter(), plan.endings());
  }

  /** Why a component that runs is not Ready: its declared health probe has not passed. */
  public static final String PROBE_FAILING = ConditionTypes.PROBE_FAILING;

  /**
   * What status says of components that run but whose declared health probe has not passed ({@code
   * failing}: component to what the probe found): not Ready, for the reason {@value
   * #PROBE_FAILING}. Running says only that a process or container is there (a VM's QEMU accepts
   * connections on its port forwards seconds before its guest serves); its probe says whether it
   * serves. Nothing is requeued for it: the probes run on their own schedule and have the service
   * looked at again when what they find changes.
   */
  static Plan unready(Plan plan, Map<String, String> failing) {
    if (failing.isEmpty()) {
      return plan;
    }
    List<ConditionView> conditions = new ArrayList<>();
    for (ConditionView condition : plan.conditions()) {
      String found = failing.get(condition.component());
      conditions.add(
          condition.type().equals(ConditionTypes.READY) && condition.status() && found != null
              ? new ConditionView(
                  condition.component(), ConditionTypes.READY, false, PROBE_FAILING, found)
              : condition);
    }
    return new Plan(
        plan.actions(), plan.components(), conditions, plan.requeueAfter(), plan.endings());
  }

  /**
   * The plan with the service's own {@link ServiceConvergence} condition, judged from what the plan
   * shows of its components and their conditions (after {@link #held}, {@link #failed} and {@link
   * #unready} had their say): Failed when a component's state is a failure or a certificate's
   * issuance failed, Converged when every component is where it was declared (running with every
   * condition True, or stopped), else Progressing. Its message names what fails or what is waited
   * for, one component after the other, so that a client needs no rule of its own.
   */
  public static Plan withConvergence(Plan plan, DesiredState desired) {
    List<String> failures = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    Map<String, List<ConditionView>> byComponent = new LinkedHashMap<>();
    plan.conditions()
        .forEach(c -> byComponent.computeIfAbsent(c.component(), k -> new ArrayList<>()).add(c));
    for (ComponentView view : plan.components()) {
      String name = view.component();
      List<ConditionView> own = byComponent.getOrDefault(name, List.of());
      if (desired == DesiredState.STOPPED) {
        if (view.state() != ComponentPhase.STOPPED) {
          waiting.add(name + ": " + describe(view));
        }
        continue;
      }
      if (view.state().failure()) {
        failures.add(name + ": " + describe(view));
      } else if (!view.state().ready()) {
        waiting.add(name + ": " + describe(view));
        continue;
      }
      for (ConditionView condition : own) {
        if (condition.status()
            || condition.type().equals(ConditionTypes.READY) && !view.state().ready()) {
          continue;
        }
        boolean failed =
            condition.type().equals(ConditionTypes.CERTIFICATE_READY)
                    && condition.reason().equals(CertificateReason.ISSUANCE_FAILED.wire())
                || condition.type().equals(ConditionTypes.PROGRESSING);
        (failed ? failures : waiting).add(name + ": " + describe(condition));
      }
    }
    ServiceConvergence convergence =
        !failures.isEmpty()
            ? ServiceConvergence.FAILED
            : waiting.isEmpty() ? ServiceConvergence.CONVERGED : ServiceConvergence.PROGRESSING;
    String message =
        switch (convergence) {
          case FAILED -> String.join("; ", failures);
          case PROGRESSING -> String.join("; ", waiting);
          case CONVERGED ->
              desired == DesiredState.STOPPED
                  ? "every component is stopped"
                  : "every component runs the current spec";
        };
    List<ConditionView> conditions = new ArrayList<>(plan.conditions());
    conditions.add(
        new ConditionView(
            "", ServiceConvergence.TYPE, convergence.status(), convergence.reason(), message));
    return new Plan(
        plan.actions(), plan.components(), conditions, plan.requeueAfter(), plan.endings());
  }

  /** {@code CrashLoopBackOff (restarted 4 times; ...)}: the state's word and its message. */
  private static String describe(ComponentView view) {
    return view.state().wire() + (view.message() == null ? "" : " (" + view.message() + ")");
  }

  /** {@code CertificateReady is False: Pending (...)}. */
  private static String describe(ConditionView condition) {
    return condition.type()
        + " is "
        + (condition.status() ? "True" : "False")
        + ": "
        + condition.reason()
        + (condition.message() == null ? "" : " (" + condition.message() + ")");
  }

  private static List<Action> missingPorts(PlanInput input, ServiceSpec spec) {
    List<Action> allocations = new ArrayList<>();
    for (ComponentSpec component : spec.components()) {
      for (RouteSpec route : component.routes()) {
        PortKey key = new PortKey(spec.name(), component.name(), route.name());
        if (!input.ports().containsKey(key)) {
          allocations.add(new AllocatePort(key));
        }
      }
    }
    return allocations;
  }

  /** The host port of each of the component's routes, by route name (null: not allocated). */
  static Map<String, Integer> routePorts(
      PlanInput input, ServiceSpec spec, ComponentSpec component) {
    return routePorts(input, spec, component, 0);
  }

  /**
   * The host port of each of the component's routes on {@code slot} (0: the first ports, 1: the
   * spares), by route name (null: not allocated).
   */
  static Map<String, Integer> routePorts(
      PlanInput input, ServiceSpec spec, ComponentSpec component, int slot) {
    Map<PortKey, Integer> held = slot == 0 ? input.ports() : input.spares();
    Map<String, Integer> ports = new HashMap<>();
    for (RouteSpec route : component.routes()) {
      ports.put(route.name(), held.get(new PortKey(spec.name(), component.name(), route.name())));
    }
    return ports;
  }

  /**
   * @param slot which of its routes' two host ports the proxy is to send the component's traffic to
   * @param progressing the component's Progressing condition, or null when it has none
   */
  record ComponentPlan(
      ComponentView view,
      Duration requeueAfter,
      Plan.Ending ending,
      int slot,
      ConditionView progressing) {
    ComponentPlan(ComponentView view, Duration requeueAfter, Plan.Ending ending) {
      this(view, requeueAfter, ending, 0, null);
    }

    ComponentPlan(ComponentView view, Duration requeueAfter) {
      this(view, requeueAfter, null);
    }

    ComponentPlan onSlot(int newSlot) {
      return new ComponentPlan(view, requeueAfter, ending, newSlot, progressing);
    }
  }

  static ComponentPlan planComponent(
      PlanInput input,
      ComponentSpec component,
      WorkloadSpec desired,
      List<Workload> observed,
      List<Action> actions) {
    String hash = desired.labels().get(Labels.SPEC_HASH);
    List<Workload> ranked = rank(observed, hash);
    for (Workload extra : ranked.subList(Math.min(1, ranked.size()), ranked.size())) {
      actions.add(new Remove(component.name(), extra.id(), "a second workload of one component"));
    }
    Workload current = ranked.isEmpty() ? null : ranked.get(0);
    String runtime = component.runtime().wire();
    String image = desired.image() != null ? desired.image() : desired.executable();
    ComponentHistory history =
        input.history().getOrDefault(component.name(), ComponentHistory.NONE);
    if (current == null) {
      // Berth saw a workload serve it, and did not remove it: it vanished behind Berth's back.
      String vanished = history.workloadId();
      ensureImage(component, desired, actions);
      actions.add(new Create(component.name(), desired, vanished));
      return new ComponentPlan(
          ComponentView.withoutWorkload(
              component.name(),
              runtime,
              ComponentPhase.CREATING,
              image,
              hash,
              vanished == null
                  ? "not on the node"
                  : "its workload "
                      + vanished
                      + " vanished behind Berth's back; creating it again"),
          null);
    }
    if (!hash.equals(current.specHash())) {
      ensureImage(component, desired, actions);
      actions.add(new Replace(component.name(), current.id(), desired));
      return new ComponentPlan(
          ComponentView.replacing(component.name(), runtime, current.id(), image, hash), null);
    }
    return switch (current.state()) {
      case RUNNING -> {
        String unhealthy = livenessFailure(input, component, current);
        if (unhealthy != null) {
          actions.add(
              new StopUnhealthy(
                  component.name(), current.id(), ComponentHistory.Run.of(current), unhealthy));
          yield new ComponentPlan(
              view(component, runtime, ComponentPhase.STOPPING, current, hash, unhealthy), null);
        }
        yield new ComponentPlan(observedView(component, runtime, current, hash, null), null);
      }
      case CREATED -> {
        actions.add(new Start(component.name(), current.id(), false));
        yield new ComponentPlan(
            view(component, runtime, ComponentPhase.STARTING, current, hash, null), null);
      }
      case EXITED, PAUSED -> planExited(input, component, current, hash, history, actions);
      case UNKNOWN ->
          new ComponentPlan(
              observedView(component, runtime, current, hash, "the runtime reports no state"),
              null);
    };
  }

  private static ComponentPlan planExited(
      PlanInput input,
      ComponentSpec component,
      Workload current,
      String hash,
      ComponentHistory history,
      List<Action> actions) {
    String runtime = component.runtime().wire();
    if (history.stoppedByBerth()) {
      actions.add(new Start(component.name(), current.id(), false));
      return new ComponentPlan(
          view(component, runtime, ComponentPhase.STARTING, current, hash, null), null);
    }
    String ended =
        current.oomKilled()
            ? Exits.outOfMemory(component.memoryMb())
            : Exits.describe(current.exitCode());
    boolean restarted = restartWanted(component.restart(), current.exitCode(), current.oomKilled());
    Plan.Ending ending =
        ending(
            component,
            current,
            history,
            restarted
                ? ended
                : ended
                    + "; restart policy \""
                    + component.restart().wire()
                    + "\" keeps it stopped");
    if (!restarted) {
      return new ComponentPlan(
          observedView(
              component,
              runtime,
              current,
              hash,
              ended + "; restart policy \"" + component.restart().wire() + "\" keeps it stopped"),
          null,
          ending);
    }
    Instant next = history.nextRestartAt();
    if (next != null && input.now().isBefore(next)) {
      Duration wait = Duration.between(input.now(), next);
      return new ComponentPlan(
          view(
              component,
              runtime,
              ComponentPhase.CRASH_LOOP_BACK_OFF,
              current,
              hash,
              "restarted "
                  + history.restarts()
                  + " times; next attempt at "
                  + next
                  + " (last "
                  + ended
                  + ")"),
          wait,
          ending);
    }
    actions.add(new Start(component.name(), current.id(), true));
    return new ComponentPlan(
        view(component, runtime, ComponentPhase.STARTING, current, hash, ended), null, ending);
  }

  /**
   * Why a running workload is to be stopped for its liveness probe, or null: its component's probe
   * is a liveness probe, the workload is past its initial delay, and the probe has failed {@code
   * failure_threshold} times in a row. Its restart policy then decides, as for a workload that
   * exited on its own, and the crash-loop backoff counts the restart.
   */
  static String livenessFailure(PlanInput input, ComponentSpec component, Workload current) {
    HealthProbe health = component.health();
    if (health == null || !health.liveness()) {
      return null;
    }
    ProbeStatus found = input.probeOf(current.id());
    if (found == null
        || found.healthy()
        || found.consecutiveFailures() < health.failureThreshold()) {
      return null;
    }
    if (current.startedAt() != null
        && input.now().isBefore(current.startedAt().plus(health.initialDelay()))) {
      return null;
    }
    return "its "
        + describe(health)
        + " failed "
        + found.consecutiveFailures()
        + " times in a row: "
        + found.lastError()
        + (component.restart() == RestartPolicy.NO
            ? "; stopping it (restart policy \"no\" keeps it stopped)"
            : "; restarting");
  }

  /**
   * The event owed for a workload that ended on its own, once per run: null for a paused one (it
   * did not end) and for a run whose end is already reported.
   */
  private static Plan.Ending ending(
      ComponentSpec component, Workload current, ComponentHistory history, String message) {
    ComponentHistory.Run run = ComponentHistory.Run.of(current);
    if (current.state() != WorkloadState.EXITED || run.equals(history.endReported())) {
      return null;
    }
    return new Plan.Ending(
        component.name(),
        run,
        current.exitCode(),
        message,
        current.oomKilled() ? Exits.OOM_KILLED : Exits.reason(current.exitCode()));
  }

  /**
   * Whether a workload that exited on its own is to be started again; one the kernel killed for
   * exceeding its memory limit failed, whatever its exit code.
   */
  static boolean restartWanted(RestartPolicy policy, Integer exitCode, boolean oomKilled) {
    return switch (policy) {
      case ALWAYS, UNLESS_STOPPED -> true;
      // An unknown exit code (an adopted or vanished process) counts as a failure.
      case ON_FAILURE -> oomKilled || exitCode == null || exitCode != 0;
      case NO -> false;
    };
  }

  static void ensureImage(ComponentSpec component, WorkloadSpec desired, List<Action> out) {
    if (desired.image() != null) {
      out.add(new EnsureImage(component.name(), desired));
    }
  }

  /** Best first: the current spec, then running, then the most recently started, then by id. */
  private static List<Workload> rank(List<Workload> workloads, String hash) {
    List<Workload> ranked = new ArrayList<>(workloads);
    ranked.sort(
        Comparator.comparing((Workload w) -> !hash.equals(w.specHash()))
            .thenComparing(w -> !w.running())
            .thenComparing(
                (Workload w) -> w.startedAt() == null ? Instant.MIN : w.startedAt(),
                Comparator.reverseOrder())
            .thenComparing(Workload::id));
    return ranked;
  }

  // ---- routes ----

  private static void planRoutes(
      PlanInput input,
      ServiceSpec spec,
      ComponentSpec component,
      int slot,
      Set<RouteBinding> routes,
      List<Action> actions,
      List<ConditionView> conditions) {
    if (component.routes().isEmpty()) {
      return;
    }
    List<String> blocked = new ArrayList<>();
    Set<String> requested = new HashSet<>();
    Map<String, Integer> slotPorts = routePorts(input, spec, component, slot);
    for (RouteSpec route : component.routes()) {
      int port = slotPorts.get(route.name());
      if (route.mode() == RouteMode.L4) {
        routes.add(binding(spec, component, route, port, null));
        continue;
      }
      CertificateState certificate =
          input.certificates().getOrDefault(route.hostname(), CertificateState.UNKNOWN);
      if (certificate.ready()) {
        routes.add(binding(spec, component, route, port, certificate.files()));
      } else {
        blocked.add(route.hostname() + ": " + certificate.reason());
        if (certificate.phase() == CertificateState.Phase.UNKNOWN
            && requested.add(route.hostname())) {
          actions.add(new RequestCertificate(route.hostname()));
        }
      }
    }
    boolean hasL7 = component.routes().stream().anyMatch(r -> r.mode() == RouteMode.L7);
    if (hasL7) {
      conditions.add(
          blocked.isEmpty()
              ? new ConditionView(
                  component.name(),
                  ConditionTypes.CERTIFICATE_READY,
                  true,
                  CertificateReason.ISSUED.wire(),
                  "every L7 route has one")
              : new ConditionView(
                  component.name(),
                  ConditionTypes.CERTIFICATE_READY,
                  false,
                  certificateReason(input, component).wire(),
                  "route blocked until its certificate is ready: " + String.join("; ", blocked)));
    }
  }

  private static CertificateReason certificateReason(PlanInput input, ComponentSpec component) {
    boolean failed =
        component.routes().stream()
            .filter(r -> r.mode() == RouteMode.L7)
            .map(r -> input.certificates().getOrDefault(r.hostname(), CertificateState.UNKNOWN))
            .anyMatch(c -> c.phase() == CertificateState.Phase.FAILED);
    return failed ? CertificateReason.ISSUANCE_FAILED : CertificateReason.PENDING;
  }

  private static RouteBinding binding(
      ServiceSpec spec,
      ComponentSpec component,
      RouteSpec route,
      int port,
      RouteBinding.CertificateFiles certificate) {
    return new RouteBinding(
        spec.name(),
        component.name(),
        route.name(),
        route.mode(),
        route.hostname(),
        route.port(),
        port,
        certificate);
  }

  // ---- stopped and deleted ----

  private static Plan planStopped(PlanInput input, ServiceSpec spec) {
    List<Action> actions = new ArrayList<>();
    Map<String, List<Workload>> byComponent = byComponent(input.workloads());
    removeUndeclared(spec, byComponent, actions);
    boolean withdrawing = withdrawRoutes(input, actions);
    List<ComponentView> views = new ArrayList<>();
    List<ConditionView> conditions = new ArrayList<>();
    for (ComponentSpec component : spec.components()) {
      List<Workload> ranked = rank(byComponent.getOrDefault(component.name(), List.of()), "");
      Workload current = ranked.isEmpty() ? null : ranked.get(0);
      for (Workload extra : ranked.subList(Math.min(1, ranked.size()), ranked.size())) {
        actions.add(new Remove(component.name(), extra.id(), "a second workload of one component"));
      }
      String runtime = component.runtime().wire();
      ComponentView view;
      if (current == null) {
        view =
            ComponentView.withoutWorkload(
                component.name(), runtime, ComponentPhase.STOPPED, null, null, "not created");
      } else if (current.running() && withdrawing) {
        view =
            observedView(component, runtime, current, null, "stops once its routes are withdrawn");
      } else if (current.running()) {
        actions.add(new Stop(component.name(), current.id()));
        view = view(component, runtime, ComponentPhase.STOPPING, current, null, null);
      } else {
        view = view(component, runtime, ComponentPhase.STOPPED, current, null, "declared stopped");
      }
      views.add(view);
      conditions.add(
          new ConditionView(
              component.name(),
              ConditionTypes.READY,
              false,
              ComponentPhase.STOPPED.readyReason(),
              "the service is declared stopped"));
    }
    return new Plan(actions, views, conditions, withdrawing ? ROUTE_WITHDRAWAL_RECHECK : null);
  }

  private static Plan planDeleted(PlanInput input) {
    List<Action> actions = new ArrayList<>();
    boolean withdrawing = withdrawRoutes(input, actions);
    if (!withdrawing) {
      for (Workload workload : input.workloads()) {
        actions.add(
            new Remove(workload.component(), workload.id(), "the service is no longer declared"));
      }
    }
    return new Plan(actions, List.of(), List.of(), withdrawing ? ROUTE_WITHDRAWAL_RECHECK : null);
  }

  /**
   * Plans the withdrawal of every route of the service.
   *
   * @return true while the proxy still serves some: workloads must wait
   */
  private static boolean withdrawRoutes(PlanInput input, List<Action> actions) {
    if (!input.published().isEmpty()) {
      actions.add(new PublishRoutes(Set.of()));
    }
    return !input.served().isEmpty();
  }

  private static void removeUndeclared(
      ServiceSpec spec, Map<String, List<Workload>> byComponent, List<Action> actions) {
    Set<String> declared = new HashSet<>();
    spec.components().forEach(c -> declared.add(c.name()));
    byComponent.forEach(
        (component, workloads) -> {
          if (!declared.contains(component)) {
            workloads.forEach(
                w ->
                    actions.add(
                        new Remove(component, w.id(), "the component is no longer declared")));
          }
        });
  }

  // ---- views ----

  private static Map<String, List<Workload>> byComponent(List<Workload> workloads) {
    Map<String, List<Workload>> byComponent = new LinkedHashMap<>();
    for (Workload workload : workloads) {
      byComponent.computeIfAbsent(workload.component(), c -> new ArrayList<>()).add(workload);
    }
    return byComponent;
  }

  private static ComponentView pending(ComponentSpec component, String message) {
    return ComponentView.withoutWorkload(
        component.name(), component.runtime().wire(), ComponentPhase.PENDING, null, null, message);
  }

  /** The component as its workload is: running, exited, paused or unknown. */
  static ComponentView observedView(
      ComponentSpec component, String runtime, Workload workload, String hash, String message) {
    return view(component, runtime, observedPhase(workload.state()), workload, hash, message);
  }

  private static ComponentPhase observedPhase(WorkloadState state) {
    return switch (state) {
      case RUNNING -> ComponentPhase.RUNNING;
      case EXITED -> ComponentPhase.EXITED;
      case PAUSED -> ComponentPhase.PAUSED;
      case UNKNOWN -> ComponentPhase.UNKNOWN;
      // Never shown: a created workload is started, and shows as starting.
      case CREATED -> ComponentPhase.STARTING;
    };
  }

  private static ComponentView view(
      ComponentSpec component,
      String runtime,
      ComponentState state,
      Workload workload,
      String hash,
      String message) {
    return ComponentView.of(component.name(), runtime, state, workload, hash, message);
  }

  private static ConditionView readyCondition(ComponentView view) {
    boolean ready = view.state().ready();
    return new ConditionView(
        view.component(),
        ConditionTypes.READY,
        ready,
        view.state().readyReason(),
        ready
            ? (view.message() == null ? "running the current spec" : view.message())
            : message(view));
  }

  private static String message(ComponentView view) {
    return view.message() == null ? view.state().wire() : view.message();
  }

  static Duration earliest(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}
