package dev.berth.reconcilers.service;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import dev.berth.core.stage.Admission;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.port.PortAllocator;
import dev.berth.reconcilers.probe.HealthTargets;
import dev.berth.reconcilers.probe.ProbeStatus;
import dev.berth.reconcilers.probe.ProbeTarget;
import dev.berth.reconcilers.probe.WorkloadProbes;
import dev.berth.reconcilers.route.RouteTable;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.reconcilers.service.Action.AbandonUpdate;
import dev.berth.reconcilers.service.Action.AllocatePort;
import dev.berth.reconcilers.service.Action.Create;
import dev.berth.reconcilers.service.Action.CreateBeside;
import dev.berth.reconcilers.service.Action.EnsureImage;
import dev.berth.reconcilers.service.Action.PublishRoutes;
import dev.berth.reconcilers.service.Action.Remove;
import dev.berth.reconcilers.service.Action.Replace;
import dev.berth.reconcilers.service.Action.RequestCertificate;
import dev.berth.reconcilers.service.Action.Retire;
import dev.berth.reconcilers.service.Action.Start;
import dev.berth.reconcilers.service.Action.Stop;
import dev.berth.reconcilers.service.Action.StopUnhealthy;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.store.registry.ConflictException;
import dev.berth.store.registry.HistoryEntry;
import dev.berth.store.registry.NotFoundException;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The service loop: for one service, gathers what is declared and observed, asks {@link
 * ServicePlanner} what to do, does it, and records status and events. Repeats within the reconcile
 * until the plan is empty (a step such as allocating a port changes the next plan), up to {@link
 * #MAX_ROUNDS}.
 *
 * <p>A failed action ends the reconcile with its exception, so the work queue retries the service
 * with per-key backoff; a spec the runtime refuses outright parks it (terminal) until it changes.
 * The action itself is not tried again before its own backoff has passed ({@link FailedActions}),
 * however often the service is reconciled meanwhile (its events, other components): such a
 * reconcile tends to the rest and answers {@link Result#backingOff}.
 *
 * <p>Health probes never run here: each gather tells {@link WorkloadProbes} which running workloads
 * to probe and takes what their probes found so far, and the probes have the service queued when
 * that changes.
 */
public final class ServiceReconciler implements Reconciler<String> {

  private static final Logger LOG = System.getLogger(ServiceReconciler.class.getName());

  /** Plans per reconcile: enough for ports, then workloads, then routes. */
  public static final int MAX_ROUNDS = 4;

  /** How soon a service whose plan is not done yet is looked at again. */
  static final Duration STILL_MOVING = Duration.ofSeconds(1);

  /** The reason of the event of a workload stopped because its liveness probe failed. */
  public static final String LIVENESS_FAILED = "LivenessFailed";

  /**
   * The reason of the event that says an update was given up and the last healthy spec declared
   * again ({@code auto_revert}); its message begins {@code auto_revert: generation N failed}.
   */
  public static final String AUTO_REVERTED = "AutoReverted";

  /** How long the tcp probe of a workload updated beside may take (loopback). */
  static final Duration UPDATE_PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** How long a workload may take to stop before it is killed. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Registry registry;
  private final WorkloadRuntime runtime;
  private final WorkloadCache cache;
  private final PortAllocator ports;
  private final RouteTable routes;
  private final Function<String, CertificateState> certificates;
  private final Consumer<String> certificateRequested;
  private final ComponentHistories histories;
  private final FailedActions failures;
  private final StatusWriter status;
  private final java.time.Clock wall;
  private final BooleanSupplier observed;
  private final WorkloadProbes probes;
  private final SecretFiles secrets;

  /** Whether a proxy serves the routes; without one, updates beside are done as recreate. */
  private final boolean proxied;

  private final RestartRequests restarts = new RestartRequests();

  /**
   * The update beside given up last, by service and component. Kept in memory: an agent that
   * restarts tries that spec once more, and gives it up again.
   */
  private final Map<String, Map<String, FailedUpdate>> failedUpdates = new ConcurrentHashMap<>();

  /** Who a rollback by {@code auto_revert} is recorded as, in the service's history. */
  public static final String AUTO_REVERT_SOURCE = "auto-revert";

  /** Reconciles begun, by service; each counter is also the lock of its service's held status. */
  private final Map<String, AtomicLong> passes = new ConcurrentHashMap<>();

  /**
   * @param certificates the certificate state of a hostname
   * @param certificateRequested told the hostname of a certificate a route needs
   * @param observed whether the node has been listed: until then an empty cache means "unknown",
   *     not "nothing runs", and planning from it would create duplicates
   * @param probes probes the declared health of running workloads on a schedule of its own: a
   *     component with a health probe is Ready only while it passes; null: running is enough
   * @param secrets the files components take secrets from: digests for the planner, values for the
   *     workloads created
   */
  public ServiceReconciler(
      Registry registry,
      WorkloadRuntime runtime,
      WorkloadCache cache,
      PortAllocator ports,
      RouteTable routes,
      Function<String, CertificateState> certificates,
      Consumer<String> certificateRequested,
      ComponentHistories histories,
      FailedActions failures,
      StatusWriter status,
      java.time.Clock wall,
      BooleanSupplier observed,
      WorkloadProbes probes,
      SecretFiles secrets,
      boolean proxied) {
    this.proxied = proxied;
    this.observed = Objects.requireNonNull(observed, "observed");
    this.probes = probes;
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.certificateRequested =
        Objects.requireNonNull(certificateRequested, "certificateRequested");
    this.histories = Objects.requireNonNull(histories, "histories");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.status = Objects.requireNonNull(status, "status");
    this.wall = Objects.requireNonNull(wall, "wall");
  }

  @Override
  public Result reconcile(String service) {
    AtomicLong began = passes.computeIfAbsent(service, s -> new AtomicLong());
    synchronized (began) {
      began.incrementAndGet();
    }
    if (!observed.getAsBoolean()) {
      throw new RuntimeFailure(
          RuntimeFailure.Reason.UNAVAILABLE,
          "waiting for the first listing of the node's workloads",
          (String) null);
    }
    List<CompletableFuture<Integer>> restartsAsked = restarts.take(service);
    if (!restartsAsked.isEmpty()) {
      restart(service, restartsAsked);
    }
    Plan plan = null;
    PlanInput input = null;
    StoredService declared = null;
    Map<String, FailedActions.Failure> waiting = Map.of();
    boolean acted = false;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      declared = registry.services().get(service).orElse(null);
      input = gather(service, declared);
      plan = ServicePlanner.plan(input);
      remember(service, plan);
      if (plan.converged()) {
        break;
      }
      waiting = waiting(service, declared, plan, input.now());
      acted = execute(service, declared, plan, waiting);
      if (!acted) {
        break; // all that is left to do waits out the backoff of an earlier failure
      }
    }
    record(service, declared, withFailures(plan, waiting));
    if (!plan.converged() && !waiting.isEmpty()) {
      Duration untilRetry = untilRetry(waiting, input.now());
      return Result.backingOff(
          acted && untilRetry.compareTo(STILL_MOVING) > 0 ? STILL_MOVING : untilRetry);
    }
    if (!plan.converged()) {
      // Still moving (a workload that exits as soon as it starts, say): look again soon, with
      // backoff, instead of spinning here.
      return Result.requeueAfter(STILL_MOVING);
    }
    failures.forget(service);
    forgiveHealthy(input);
    return plan.requeueAfter() == null ? Result.done() : Result.requeueAfter(plan.requeueAfter());
  }

  /**
   * How many reconciles of {@code service} have begun: read it before asking the boot stages
   * whether the service may go, and pass it to {@link #held}.
   */
  public long passes(String service) {
    AtomicLong began = passes.get(service);
    return began == null ? 0 : began.get();
  }

  /**
   * Records the status of a service the boot stages hold back ({@link ServicePlanner#held}), so
   * that it says which stage it waits for instead of what an earlier agent, or an earlier
   * reconcile, saw. Nothing is recorded if a reconcile of the service began after {@code
   * passesBefore} was read (its status is the newer truth), or while the node has not been listed.
   *
   * @param passesBefore {@link #passes} as read before the stages were asked
   */
  public void held(String service, long passesBefore, Admission admission) {
    if (!observed.getAsBoolean()) {
      return;
    }
    StoredService declared = registry.services().get(service).orElse(null);
    if (declared == null) {
      return;
    }
    Plan plan;
    try {
      plan =
          ServicePlanner.held(
              gather(service, declared), admission.waitingFor(), admission.reason());
    } catch (RuntimeFailure e) {
      // An inspection failed: the reconcile that comes once the stage lets it in will say why.
      return;
    }
    AtomicLong began = passes.computeIfAbsent(service, s -> new AtomicLong());
    synchronized (began) {
      if (began.get() == passesBefore) {
        record(service, declared, plan);
      }
    }
  }

  /** Where operators ask for restarts; {@link #reconcile} carries them out. */
  public RestartRequests restarts() {
    return restarts;
  }

  /**
   * Stops and starts the service's workloads, keeping them. A service declared stopped (or gone)
   * has nothing to restart. The workloads are recorded as observed right after, so the plan that
   * follows sees them running rather than the exit the stop caused.
   */
  private void restart(String service, List<CompletableFuture<Integer>> asked) {
    StoredService declared = registry.services().get(service).orElse(null);
    List<Workload> workloads =
        declared == null || declared.spec().desiredState() == DesiredState.STOPPED
            ? List.of()
            : cache.workloadsOf(service);
    try {
      for (Workload workload : workloads) {
        runtime.stop(workload.id(), STOP_TIMEOUT);
        runtime.start(workload.id());
        runtime
            .inspect(workload.id())
            .ifPresentOrElse(cache::recorded, () -> cache.dirty(workload.id()));
      }
    } catch (RuntimeFailure e) {
      status.event(service, null, ServiceEvent.Type.WARNING, "RestartFailed", e.getMessage());
      asked.forEach(done -> done.completeExceptionally(e));
      throw e;
    }
    if (!workloads.isEmpty()) {
      status.event(
          service,
          null,
          ServiceEvent.Type.NORMAL,
          "Restarted",
          "restarted " + workloads.size() + " workload(s) on request");
    }
    asked.forEach(done -> done.complete(workloads.size()));
  }

  private PlanInput gather(String service, StoredService declared) {
    Map<PortKey, Integer> allocated = new HashMap<>();
    Map<PortKey, Integer> spares = new HashMap<>();
    Map<String, CertificateState> certificateStates = new HashMap<>();
    Map<String, String> secretDigests = new HashMap<>();
    if (declared != null) {
      for (ComponentSpec component : declared.spec().components()) {
        for (SecretRef secret : component.secrets()) {
          // Read at every plan: a changed file is a changed spec hash, whatever told us to look.
          secrets
              .digest(secret.file())
              .ifPresent(digest -> secretDigests.put(secret.file(), digest));
        }
        for (RouteSpec route : component.routes()) {
          PortKey key = new PortKey(service, component.name(), route.name());
          registry
              .ports()
              .get(key)
              .ifPresent(
                  a -> {
                    allocated.put(key, a.hostPort());
                    if (a.hasSpare()) {
                      spares.put(key, a.spareHostPort());
                    }
                  });
          if (route.mode() == RouteMode.L7) {
            // Only L7 routes terminate TLS; an L4 route may have no hostname at all.
            certificateStates.put(route.hostname(), certificates.apply(route.hostname()));
          }
        }
      }
    }
    List<Workload> workloads = cache.workloadsOf(service);
    return new PlanInput(
        service,
        declared,
        workloads,
        allocated,
        certificateStates,
        routes.published(service),
        routes.served(service),
        histories.of(service),
        probed(service, declared, workloads, allocated, spares),
        wall.instant(),
        secretDigests,
        spares,
        failedUpdates.getOrDefault(service, Map.of()),
        routes.servedSince(service),
        proxied);
  }

  /**
   * Has the running workloads of the service's components with a health probe watched (and no other
   * of its workloads), and returns what their probes found so far: the probes run on their own
   * schedule, so planning never waits for one. Null when the node probes nothing.
   */
  private Map<String, ProbeStatus> probed(
      String service,
      StoredService declared,
      List<Workload> workloads,
      Map<PortKey, Integer> allocated,
      Map<PortKey, Integer> spares) {
    if (probes == null) {
      return null;
    }
    Map<String, WorkloadProbes.Target> targets = new HashMap<>();
    if (declared != null && declared.spec().desiredState() == DesiredState.RUNNING) {
      for (ComponentSpec component : declared.spec().components()) {
        List<Workload> own =
            workloads.stream()
                .filter(w -> w.running() && component.name().equals(w.component()))
                .toList();
        // Updated beside and without a probe of its own: a tcp probe on its first route tells
        // when a new workload answers; needed only while two run.
        boolean besideWithoutProbe =
            component.health() == null
                && proxied
                && UpdatePolicy.strategyFor(component) == UpdateStrategy.BESIDE
                && workloads.stream().filter(w -> component.name().equals(w.component())).count()
                    > 1;
        if (component.health() == null && !besideWithoutProbe) {
          continue;
        }
        for (Workload workload : own) {
          // Each workload on its own slot of its routes' ports: an old and a new one differ.
          Map<PortKey, Integer> slot =
              WorkloadSpecs.slotOf(workload.labels()) == 0 ? allocated : spares;
          Map<String, Integer> routePorts = new HashMap<>();
          for (RouteSpec route : component.routes()) {
            routePorts.put(
                route.name(), slot.get(new PortKey(service, component.name(), route.name())));
          }
          WorkloadProbes.Target target =
              besideWithoutProbe ? firstRouteTarget(component, routePorts, workload) : null;
          ProbeTarget declaredTarget =
              component.health() == null ? null : HealthTargets.of(component, routePorts);
          if (declaredTarget != null) {
            target =
                new WorkloadProbes.Target(
                    declaredTarget,
                    component.health().period(),
                    component.health().timeout(),
                    component.health().initialDelay(),
                    workload.startedAt());
          }
          if (target != null) {
            targets.put(workload.id(), target);
          }
        }
      }
    }
    return probes.watch(service, targets);
  }

  /** A tcp probe of a workload's first route, as often as a starting workload is probed. */
  private static WorkloadProbes.Target firstRouteTarget(
      ComponentSpec component, Map<String, Integer> routePorts, Workload workload) {
    Integer port = routePorts.get(component.routes().get(0).name());
    if (port == null) {
      return null;
    }
    return new WorkloadProbes.Target(
        new ProbeTarget(ProbeType.TCP, "127.0.0.1", port, ""),
        WorkloadProbes.STARTING_PERIOD,
        UPDATE_PROBE_TIMEOUT,
        Duration.ZERO,
        workload.startedAt());
  }

  /**
   * Keeps what the plan saw that Berth must remember: which workload serves each component (so a
   * vanished one is noticed), and one event for each workload that ended on its own.
   */
  private void remember(String service, Plan plan) {
    for (ComponentView view : plan.components()) {
      if (view.workloadId() != null) {
        histories.seen(service, view.component(), view.workloadId());
      }
    }
    for (Plan.Ending ending : plan.endings()) {
      status.event(
          service,
          ending.component(),
          ending.clean() ? ServiceEvent.Type.NORMAL : ServiceEvent.Type.WARNING,
          ending.reason(),
          ending.run().workloadId() + " " + ending.message());
      histories.endReported(service, ending.component(), ending.run());
    }
  }

  /**
   * The components that wait out the backoff of their last failure, with that failure: none of
   * their actions is tried. Components with nothing to do have settled: their failures are
   * forgotten.
   */
  private Map<String, FailedActions.Failure> waiting(
      String service, StoredService declared, Plan plan, Instant now) {
    Set<String> busy = new LinkedHashSet<>();
    for (Action action : plan.actions()) {
      String component = action.component();
      if (component != null) {
        busy.add(component);
      }
    }
    failures.settled(service, busy);
    Map<String, FailedActions.Failure> waiting = new LinkedHashMap<>();
    for (String component : busy) {
      failures
          .waiting(service, component, generationOf(declared), now)
          .ifPresent(failure -> waiting.put(component, failure));
    }
    return waiting;
  }

  /** The plan as status shows it while failed components wait: with their failures' reasons. */
  private static Plan withFailures(Plan plan, Map<String, FailedActions.Failure> waiting) {
    Plan shown = plan;
    for (var entry : waiting.entrySet()) {
      FailedActions.Failure failure = entry.getValue();
      shown = ServicePlanner.failed(shown, entry.getKey(), failure.action(), failure.cause());
    }
    return shown;
  }

  private static Duration untilRetry(Map<String, FailedActions.Failure> waiting, Instant now) {
    Instant first =
        waiting.values().stream().map(FailedActions.Failure::retryAt).min(Instant::compareTo).get();
    Duration wait = Duration.between(now, first);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /**
   * Performs the plan's actions, but not those of {@code waiting} components. A component whose
   * action fails is left there (its later steps need the one that failed) and the other components'
   * actions go on; then the failure is thrown, a retryable one before one that parks the service.
   *
   * @return whether any action was tried
   */
  private boolean execute(
      String service,
      StoredService declared,
      Plan plan,
      Map<String, FailedActions.Failure> waiting) {
    Map<String, FailedActions.Failure> skipped = new HashMap<>(waiting);
    boolean acted = false;
    RuntimeException retryable = null;
    TerminalException terminal = null;
    for (Action action : plan.actions()) {
      String component = action.component();
      if (component != null && skipped.containsKey(component)) {
        continue;
      }
      acted = true;
      try {
        perform(service, action);
      } catch (RuntimeFailure e) {
        record(
            service,
            declared,
            component == null
                ? plan
                : ServicePlanner.failed(plan, component, action.describe(), e));
        status.event(
            service,
            component,
            ServiceEvent.Type.WARNING,
            "Failed",
            action.describe() + ": " + e.getMessage());
        if (e.reason() != RuntimeFailure.Reason.INVALID_SPEC) {
          retryable = retryable == null ? e : retryable;
        } else if (terminal == null) {
          terminal = new TerminalException(action.describe() + ": " + e.getMessage(), e);
        }
        if (component == null) {
          break;
        }
        skipped.put(
            component,
            failures.failed(
                service, component, generationOf(declared), action.describe(), e, wall.instant()));
      } catch (NotFoundException e) {
        // The service was deleted while we worked on it: the next reconcile cleans up.
        return true;
      }
    }
    if (retryable != null) {
      throw retryable;
    }
    if (terminal != null) {
      throw terminal;
    }
    return acted;
  }

  /** A deleted service's actions (removals) count as generation 0. */
  private static long generationOf(StoredService declared) {
    return declared == null ? 0 : declared.generation();
  }

  /**
   * The planned spec as the runtime is to run it: labelled with this registry's id, and with the
   * values of its secrets read now ({@link #withSecretValues}). Neither is part of the spec hash:
   * the planner says what to run, the actor adds whose it is and what no plan may hold. Every
   * workload Berth creates goes through here.
   *
   * @throws RuntimeFailure SECRET_UNUSABLE naming a secret file that cannot be used and why
   */
  private WorkloadSpec ours(WorkloadSpec spec) {
    return withSecretValues(spec).withLabel(Labels.REGISTRY, registry.identity().get().id());
  }

  private void perform(String service, Action action) {
    Instant now = wall.instant();
    if (action instanceof AllocatePort a) {
      int port = a.spare() ? ports.allocateSpare(a.key()) : ports.allocate(a.key());
      status.event(
          service,
          a.key().component(),
          ServiceEvent.Type.NORMAL,
          "PortAllocated",
          "route " + a.key().route() + " has " + (a.spare() ? "spare " : "") + "host port " + port);
    } else if (action instanceof CreateBeside c) {
      Workload created = runtime.run(ours(c.spec()));
      cache.recorded(created);
      histories.created(service, c.component(), created.id(), false);
      status.event(
          service,
          c.component(),
          ServiceEvent.Type.NORMAL,
          "StartedBeside",
          "the spec changed: started "
              + created.id()
              + " beside "
              + c.oldWorkloadId()
              + ", which serves until the new one is healthy");
    } else if (action instanceof Retire r) {
      try {
        runtime.stop(r.oldWorkloadId(), STOP_TIMEOUT);
      } catch (RuntimeFailure e) {
        if (e.reason() != RuntimeFailure.Reason.NOT_FOUND) {
          cache.dirty(r.oldWorkloadId());
          throw e;
        }
      }
      removeQuietly(r.oldWorkloadId());
      histories.removed(service, r.component(), r.oldWorkloadId());
      histories.seen(service, r.component(), r.newWorkloadId());
      status.event(
          service,
          r.component(),
          ServiceEvent.Type.NORMAL,
          "Replaced",
          "replaced beside: "
              + r.oldWorkloadId()
              + " with "
              + r.newWorkloadId()
              + ", after the proxy switched and "
              + r.oldWorkloadId()
              + " drained for "
              + r.drained().toMillis()
              + " ms");
    } else if (action instanceof AbandonUpdate a) {
      removeQuietly(a.newWorkloadId());
      histories.removed(service, a.component(), a.newWorkloadId());
      histories.reset(service, a.component());
      failedUpdates
          .computeIfAbsent(service, s -> new ConcurrentHashMap<>())
          .put(a.component(), a.failure());
      status.event(
          service,
          a.component(),
          ServiceEvent.Type.WARNING,
          "UpdateFailed",
          a.failure().reason().wire()
              + ": "
              + a.failure().message()
              + "; removed it, the old workload keeps serving");
      if (a.autoRevert()) {
        revert(service, a);
      }
    } else if (action instanceof RequestCertificate r) {
      certificateRequested.accept(r.hostname());
    } else if (action instanceof EnsureImage e) {
      runtime.ensureImage(e.spec(), PullPolicy.IF_ABSENT);
    } else if (action instanceof Create c) {
      Workload created = runtime.run(ours(c.spec()));
      cache.recorded(created);
      ComponentHistory history =
          histories.created(service, c.component(), created.id(), c.vanished() != null);
      String what = created.kind().name().toLowerCase() + " " + created.id();
      if (c.vanished() == null) {
        status.event(
            service, c.component(), ServiceEvent.Type.NORMAL, "Created", "created " + what);
      } else {
        status.event(
            service,
            c.component(),
            ServiceEvent.Type.WARNING,
            "Recreated",
            "its workload "
                + c.vanished()
                + " vanished behind Berth's back; created "
                + what
                + " in its place (recreated "
                + times(history.recreations())
                + " since the agent started)");
      }
    } else if (action instanceof Replace r) {
      // Read before the old one goes: a secret that cannot be used leaves it running.
      WorkloadSpec replacement = ours(r.spec());
      removeQuietly(r.oldWorkloadId());
      Workload created = runtime.run(replacement);
      cache.recorded(created);
      histories.created(service, r.component(), created.id(), false);
      status.event(
          service,
          r.component(),
          ServiceEvent.Type.NORMAL,
          "Replaced",
          "replaced (recreate): the spec changed, so "
              + r.oldWorkloadId()
              + " was removed and "
              + created.id()
              + " created");
    } else if (action instanceof Start s) {
      try {
        runtime.start(s.workloadId());
      } finally {
        cache.dirty(s.workloadId());
      }
      if (s.restart()) {
        ComponentHistory history = histories.restarted(service, s.component(), now);
        status.event(
            service,
            s.component(),
            ServiceEvent.Type.WARNING,
            "Restarted",
            "started "
                + s.workloadId()
                + " again as its restart policy says: restart "
                + history.restarts()
                + ", the next one no sooner than "
                + history.nextRestartAt());
      } else {
        histories.started(service, s.component());
        status.event(
            service,
            s.component(),
            ServiceEvent.Type.NORMAL,
            "Started",
            "started " + s.workloadId());
      }
    } else if (action instanceof Stop s) {
      try {
        runtime.stop(s.workloadId(), STOP_TIMEOUT);
      } catch (RuntimeFailure e) {
        if (e.reason() != RuntimeFailure.Reason.NOT_FOUND) {
          throw e;
        }
      } finally {
        cache.dirty(s.workloadId());
      }
      histories.stoppedByBerth(service, s.component());
      status.event(
          service, s.component(), ServiceEvent.Type.NORMAL, "Stopped", "stopped " + s.workloadId());
    } else if (action instanceof StopUnhealthy u) {
      try {
        runtime.stop(u.workloadId(), STOP_TIMEOUT);
      } catch (RuntimeFailure e) {
        if (e.reason() != RuntimeFailure.Reason.NOT_FOUND) {
          throw e;
        }
      } finally {
        cache.dirty(u.workloadId());
      }
      // Not stopped by Berth's wish: starting it again is a restart after a failure, counted by
      // the crash-loop backoff. This event says why it ended; the exit it caused needs no other.
      histories.endReported(service, u.component(), u.run());
      status.event(service, u.component(), ServiceEvent.Type.WARNING, LIVENESS_FAILED, u.why());
    } else if (action instanceof Remove r) {
      removeQuietly(r.workloadId());
      histories.removed(service, r.component(), r.workloadId());
      if (registry.services().get(service).isPresent()) {
        status.event(
            service,
            r.component(),
            ServiceEvent.Type.NORMAL,
            "Removed",
            "removed " + r.workloadId() + ": " + r.why());
      } else {
        // The service's history went with its declaration: the agent's log is the trace.
        LOG.log(
            Level.INFO,
            "{0}/{1}: removed {2}: {3}",
            service,
            r.component(),
            r.workloadId(),
            r.why());
      }
    } else if (action instanceof PublishRoutes p) {
      routes.publish(service, p.routes());
    }
  }

  /**
   * Declares the last spec of {@code service} that became healthy again (from the registry's
   * history), as a new generation, after the update {@code failed} was given up; an event says what
   * was done, or why nothing could be.
   */
  private void revert(String service, AbandonUpdate failed) {
    StoredService declared = registry.services().get(service).orElse(null);
    if (declared == null) {
      return;
    }
    HistoryEntry healthy = registry.services().lastHealthy(service).orElse(null);
    if (healthy == null || healthy.generation() == declared.generation()) {
      status.event(
          service,
          failed.component(),
          ServiceEvent.Type.WARNING,
          "AutoRevertFailed",
          "auto_revert: the history keeps no earlier generation that became healthy; generation "
              + declared.generation()
              + " stays declared");
      return;
    }
    try {
      registry
          .services()
          .rollback(service, healthy.generation(), declared.generation(), AUTO_REVERT_SOURCE);
      long generation = registry.services().get(service).map(StoredService::generation).orElse(-1L);
      status.event(
          service,
          failed.component(),
          ServiceEvent.Type.WARNING,
          AUTO_REVERTED,
          "auto_revert: generation "
              + declared.generation()
              + " failed ("
              + failed.failure().reason().wire()
              + "), so the spec of generation "
              + healthy.generation()
              + ", the last that became healthy, is declared again as generation "
              + generation);
    } catch (ConflictException | NotFoundException e) {
      // Someone declared another spec meanwhile, or the rules changed: what is declared stays.
      status.event(
          service,
          failed.component(),
          ServiceEvent.Type.WARNING,
          "AutoRevertFailed",
          "auto_revert: " + e.getMessage());
    }
  }

  /**
   * The planned spec with the values of its secrets, read now from their files: the only place a
   * value is read, right before the runtime gets it. A file changed since the plan gives its new
   * value under the old digest's spec hash, which the next plan replaces.
   *
   * @throws RuntimeFailure SECRET_UNUSABLE naming a file that cannot be used and why
   */
  private WorkloadSpec withSecretValues(WorkloadSpec spec) {
    if (spec.secrets().isEmpty()) {
      return spec;
    }
    Map<String, String> values = new HashMap<>();
    for (SecretVariable secret : spec.secrets()) {
      values.put(secret.name(), secrets.read(secret.source()).value());
    }
    return spec.withSecretValues(values);
  }

  private void removeQuietly(String id) {
    try {
      runtime.remove(id);
    } catch (RuntimeFailure e) {
      if (e.reason() != RuntimeFailure.Reason.NOT_FOUND) {
        cache.dirty(id);
        throw e;
      }
    }
    cache.removed(id);
  }

  private void record(String service, StoredService declared, Plan plan) {
    if (declared == null) {
      histories.forget(service);
      status.forget(service);
      passes.remove(service);
      failedUpdates.remove(service);
      return;
    }
    Plan shown = ServicePlanner.withConvergence(plan, declared.spec().desiredState());
    status.status(service, declared.generation(), shown.components(), shown.conditions());
  }

  /** A component that has run long enough since its last restart starts its count afresh. */
  private void forgiveHealthy(PlanInput converged) {
    String service = converged.service();
    Map<String, ComponentHistory> history = converged.history();
    if (converged.declared() == null || history.isEmpty()) {
      return;
    }
    Instant now = converged.now();
    for (Workload workload : converged.workloads()) {
      ComponentHistory h = history.get(workload.component());
      if (h != null
          && h.restarts() > 0
          && workload.running()
          && workload.startedAt() != null
          && workload.startedAt().plus(histories.backoff().resetAfter()).isBefore(now)) {
        histories.reset(service, workload.component());
      }
    }
  }

  private static String times(int count) {
    return count == 1 ? "once" : count + " times";
  }
}
