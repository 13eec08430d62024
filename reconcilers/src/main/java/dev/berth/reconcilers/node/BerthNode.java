package dev.berth.reconcilers.node;

import dev.berth.core.controller.Controller;
import dev.berth.core.controller.ControllerHealth;
import dev.berth.core.controller.Manager;
import dev.berth.core.queue.ExponentialBackoffRateLimiter;
import dev.berth.core.stage.StageStatus;
import dev.berth.core.time.Clock;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.CertificateSource;
import dev.berth.reconcilers.describe.NodeSummary;
import dev.berth.reconcilers.describe.RouteDescription;
import dev.berth.reconcilers.describe.RouteDescriptions;
import dev.berth.reconcilers.describe.ServiceDescription;
import dev.berth.reconcilers.describe.ServiceDescriptions;
import dev.berth.reconcilers.metrics.CountedRouteRegistrar;
import dev.berth.reconcilers.metrics.NodeMeters;
import dev.berth.reconcilers.observe.Ownership;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.port.PortAllocator;
import dev.berth.reconcilers.port.PortRange;
import dev.berth.reconcilers.probe.Prober;
import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.reconcilers.probe.WorkloadProbes;
import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteReconciler;
import dev.berth.reconcilers.route.RouteRegistrar;
import dev.berth.reconcilers.route.RouteTable;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.reconcilers.secret.SecretWatch;
import dev.berth.reconcilers.service.CertificateState;
import dev.berth.reconcilers.service.ComponentHistories;
import dev.berth.reconcilers.service.CrashLoopBackoff;
import dev.berth.reconcilers.service.FailedActions;
import dev.berth.reconcilers.service.ServiceReconciler;
import dev.berth.reconcilers.service.StatusWriter;
import dev.berth.reconcilers.stage.BootGate;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.reconcilers.stage.StageEvents;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.store.registry.CertificateRecord;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryHealth;
import dev.berth.store.registry.RegistryIdentity;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Berth's loops for one node, wired together: the relist loop that keeps the workload cache true,
 * the service loop (with its boot-stage gate), the route loop when a proxy is configured, and the
 * certificate source. Embedders build one from a registry and a runtime; the runner does the same
 * from its configuration file. A running node hears of every write of the registry's declared
 * services and reconciles what it changed: whoever writes makes no call to the node.
 *
 * <pre>{@code
 * try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory));
 *     BerthNode node = BerthNode.builder(registry, runtime).build()) {
 *   node.start();
 *   registry.services().apply(ApplyRequest.of("my-control-plane", specs)); // the node reacts
 *   ...
 * }
 * }</pre>
 */
public final class BerthNode implements AutoCloseable {

  /** Enough to overlap a few slow runtime calls (a podman run takes ~0.2 s) on a small node. */
  public static final int DEFAULT_WORKERS = 4;

  /** Events keep the cache fresh; the relist only catches what they miss, such as a lost state. */
  public static final Duration DEFAULT_RELIST_PERIOD = Duration.ofSeconds(30);

  /**
   * How often every declared service is reconciled although nothing changed: the engine's default,
   * {@link Controller#DEFAULT_RESYNC_PERIOD}.
   */
  public static final Duration DEFAULT_RESYNC_PERIOD = Controller.DEFAULT_RESYNC_PERIOD;

  /**
   * The longest wait between retries of a failing service: an image that cannot be pulled now is
   * tried again within minutes once the registry is back, as kubelet does.
   */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);

  /**
   * The longest wait between attempts to put the routes in place (the services' retry cap, if
   * shorter): a proxy that cannot be restarted (its port taken by another program) is tried again
   * this often, as every route is dark meanwhile; {@link #recover()} tries at once.
   */
  public static final Duration ROUTE_RETRY_MAX = Duration.ofSeconds(30);

  private static final Logger LOG = System.getLogger(BerthNode.class.getName());

  private final Registry registry;
  private final WorkloadCache cache;
  private final StatusWriter status;
  private final RouteTable routes = new RouteTable();
  private final CertificateSource certificates;
  private final BootGate gate;
  private final WorkloadProbes probes;

  /** The prober the node made itself, when it was given none: closed with the node. */
  private final StandardProber ownProber;

  private final NodeReconciler nodeObserver;
  private final Controller<String> observer;
  private final Controller<String> services;
  private final ServiceReconciler reconciler;
  private final FailedActions failures;
  private final Controller<String> routeLoop;
  private final RouteReconciler routeReconciler;
  private final Manager manager;

  /**
   * The node's gauges, when it has a meter registry: held here, as Micrometer holds some weakly.
   */
  private final NodeMeters nodeMeters;

  private final ServiceDescriptions descriptions;
  private AutoCloseable watch;
  private final SecretFiles secrets;
  private AutoCloseable secretWatch;

  /** The registry telling the service loop what was declared; open while the node runs. */
  private AutoCloseable declarations;

  private BerthNode(Builder b) {
    this.registry = b.registry;
    this.secrets = b.secrets;
    WorkloadRuntime runtime = b.runtime;
    java.time.Clock wall = b.wall;
    this.status =
        b.statusFlushInterval.isZero()
            ? StatusWriter.synchronous(registry, wall)
            : StatusWriter.batching(registry, wall, b.statusFlushInterval);
    this.failures = new FailedActions(b.retryBase, b.retryMax);
    this.descriptions =
        new ServiceDescriptions(
            registry, wall, this::unobserved, wall.instant(), routes::published);
    // The loops and the cache refer to each other; the holder breaks the cycle at construction.
    ControllerHolder servicesHolder = new ControllerHolder();
    ControllerHolder observerHolder = new ControllerHolder();
    this.cache =
        new WorkloadCache(
            runtime,
            new Ownership(registry.identity()::get),
            this::workloadsChanged,
            () -> observerHolder.enqueue(NodeReconciler.KEY));
    this.gate =
        b.stages.isEmpty()
            ? null
            : new BootGate(
                b.stages,
                registry,
                cache,
                b.prober,
                b.clock,
                new StageEvents(b.stages, status),
                servicesHolder::recheckHeld,
                b.secrets);
    this.certificates = b.certificates;
    Prober prober = b.readinessProber != null ? b.readinessProber : b.prober;
    this.ownProber = prober == null ? new StandardProber() : null;
    this.probes =
        new WorkloadProbes(
            prober != null ? prober : ownProber, b.clock, wall, servicesHolder::enqueue);
    ComponentHistories histories = new ComponentHistories(b.crashLoopBackoff);
    RouteRegistrar registrar =
        b.routeRegistrar == null
            ? null
            : CountedRouteRegistrar.of(b.routeRegistrar, b.meterRegistry);
    this.reconciler =
        new ServiceReconciler(
            registry,
            runtime,
            cache,
            new PortAllocator(registry.ports(), b.portRange),
            routes,
            b.certificates::state,
            b.certificates::request,
            histories,
            failures,
            status,
            wall,
            cache::synced,
            probes,
            b.secrets,
            b.routeRegistrar != null);
    Manager.Builder loops = Manager.builder().clock(b.clock).meterRegistry(b.meterRegistry);
    this.nodeObserver = new NodeReconciler(cache, registry, runtime);
    this.observer =
        loops.add(
            Controller.builder("node-observer", nodeObserver)
                .workers(1)
                .resyncPeriod(b.relistPeriod)
                .keyLister(() -> List.of(NodeReconciler.KEY)));
    Controller.Builder<String> servicesBuilder =
        Controller.builder("services", reconciler)
            .workers(b.workers)
            .resyncPeriod(b.resyncPeriod)
            .rateLimiter(new ExponentialBackoffRateLimiter<>(b.retryBase, b.retryMax))
            .keyLister(this::serviceKeys);
    if (gate != null) {
      servicesBuilder.gate(new HeldStatusGate(gate, reconciler));
    }
    this.services = loops.add(servicesBuilder);
    servicesHolder.controller = services;
    observerHolder.controller = observer;
    if (b.routeRegistrar != null) {
      this.routeReconciler =
          new RouteReconciler(
              registrar,
              routes,
              services::enqueue,
              (service, type, reason, message) ->
                  status.event(service, null, type, reason, message),
              b.proxyCheckInterval);
      // One worker: the reconciler's two keys share the proxy.
      this.routeLoop =
          loops.add(
              Controller.builder("routes", routeReconciler)
                  .workers(1)
                  .resyncPeriod(b.resyncPeriod)
                  .rateLimiter(new ExponentialBackoffRateLimiter<>(b.retryBase, routeRetryMax(b)))
                  .keyLister(() -> List.of(RouteReconciler.KEY, RouteReconciler.CHECK_KEY)));
      routes.onPublishedChange(() -> routeLoop.enqueue(RouteReconciler.KEY));
      routeReconciler.onApplyNeeded(() -> routeLoop.enqueue(RouteReconciler.KEY));
    } else {
      this.routeReconciler = null;
      this.routeLoop = null;
    }
    if (b.certificateLoop != null) {
      Controller<String> certificates =
          loops.add(
              Controller.builder("certificates", b.certificateLoop)
                  .workers(2)
                  .resyncPeriod(b.resyncPeriod)
                  .rateLimiter(
                      new ExponentialBackoffRateLimiter<>(
                          b.certificateRetryBase, b.certificateRetryMax))
                  .keyLister(b.certificateLoop::keys));
      b.certificateLoop.attach(certificates::enqueue, services::enqueue, this::certificateFailed);
    }
    for (OwnLoop<?> own : b.ownLoops) {
      own.addTo(loops);
    }
    this.manager = loops.build();
    if (b.meterRegistry != null) {
      this.nodeMeters =
          NodeMeters.bind(b.meterRegistry, this::meterSnapshot, histories::restartsTotal, wall);
    } else {
      this.nodeMeters = null;
    }
  }

  /** An embedder's loop and who is told once it is built (to connect its watches). */
  private record OwnLoop<K>(Controller.Builder<K> loop, Consumer<? super Controller<K>> built) {
    void addTo(Manager.Builder loops) {
      built.accept(loops.add(loop));
    }
  }

  /**
   * Every loop the node runs, Berth's and the embedder's ({@link Builder#controller}), in the order
   * they start: for tests and diagnostics (their queues' {@link Controller#pending()} keys).
   */
  public List<Controller<?>> controllers() {
    return manager.controllers();
  }

  /**
   * A node whose declarations are in {@code registry} and whose workloads run on {@code runtime},
   * every other setting at its default.
   */
  public static Builder builder(Registry registry, WorkloadRuntime runtime) {
    return new Builder(registry, runtime);
  }

  /**
   * Lists the node once, then starts every loop: at start every declared service is reconciled,
   * which is all recovery is. From then on every write of the registry's declared services, by
   * anyone (the API, an embedder, a file), reaches the service loop: nobody needs to tell the node.
   */
  public synchronized void start() {
    // Before the loops list the declared services: a write either shows in that first listing or
    // is told here, so that none is lost however the two interleave (see ServiceStore#subscribe).
    // Only an enqueue runs on the writer's thread; the reconcile runs on the loop's workers.
    if (declarations == null) {
      declarations = registry.services().subscribe(changed -> changed.forEach(services::enqueue));
    }
    watch = cache.watch();
    if (secretWatch == null) {
      secretWatch =
          secrets.directory().map(dir -> SecretWatch.start(dir, this::secretChanged)).orElse(null);
    }
    try {
      cache.relist();
    } catch (RuntimeFailure e) {
      // The relist loop keeps trying; services wait for its first success.
      LOG.log(Level.WARNING, "cannot list the node's workloads yet: " + e.getMessage());
    }
    manager.start();
  }

  /**
   * Reconcile everything now, including services parked after a terminal error; retry failed
   * actions without waiting out their backoff; and look at the proxy now, restarting it if it is
   * down, whatever the backoff of its last failure.
   */
  public void recover() {
    recoverLoops();
  }

  /**
   * Hands the workloads another registry made over to this node's (see {@link
   * dev.berth.store.registry.IdentityStore#adopt}), and reconciles them at once: those of services
   * declared here are kept (or replaced if their spec differs), the others removed.
   *
   * @param registryId a registry's id, or {@link RegistryIdentity#UNLABELLED} for Berth's workloads
   *     that carry none
   * @throws IllegalArgumentException if {@code registryId} is neither, or is this registry's own
   */
  public Adoption adopt(String registryId) {
    Adoption adoption = nodeObserver.adopt(registryId);
    recoverLoops();
    return adoption;
  }

  /**
   * What {@link #adopt} did.
   *
   * @param changed false if the registry was adopted already
   * @param workloads its workloads found on the node when it was adopted
   */
  public record Adoption(boolean changed, int workloads) {}

  private void recoverLoops() {
    failures.forgetAll();
    observer.enqueue(NodeReconciler.KEY);
    if (routeLoop != null) {
      routeLoop.enqueue(RouteReconciler.CHECK_KEY);
      routeLoop.enqueue(RouteReconciler.KEY);
    }
    for (String service : serviceKeys()) {
      services.enqueue(service);
    }
  }

  /**
   * Asks for the service's workloads to be stopped and started, keeping them, as {@code podman
   * restart} does: an operator's request, not a change of what is declared, so nothing is written
   * to the registry but an event. The service's worker carries it out, so that no reconcile takes
   * the stop for a crash.
   *
   * @return completes with how many workloads were restarted (none for a service declared stopped
   *     or deleted meanwhile), or with the runtime's failure
   */
  public CompletableFuture<Integer> restart(String service) {
    CompletableFuture<Integer> done = reconciler.restarts().request(service);
    services.enqueue(service);
    return done;
  }

  /** What the runtimes run, as the node's cache last saw it. */
  public WorkloadCache cache() {
    return cache;
  }

  /**
   * Why the service's status in the registry is not this node's observation yet, or empty once its
   * loops have recorded it. Until then the registry holds what an earlier agent saw, which says
   * nothing of now: its "running" may be a workload that no longer exists.
   */
  public Optional<String> unobserved(String service) {
    if (status.recorded(service)) {
      return Optional.empty();
    }
    if (!cache.synced()) {
      return Optional.of("the node's workloads have not been listed yet");
    }
    return Optional.of("not reconciled since the agent started");
  }

  /**
   * The service as this node knows it, with its newest {@code events}; empty if it is not declared.
   * Only this node's observations show as current ({@link ServiceDescriptions}).
   */
  public Optional<ServiceDescription> describe(String service, int events) {
    return registry.services().get(service).map(declared -> describe(declared, events));
  }

  /** {@link #describe(String, int)} of a declaration already read. */
  public ServiceDescription describe(StoredService declared, int events) {
    return descriptions.describe(declared, events);
  }

  /** Every declared service as this node knows it. */
  public List<ServiceDescription> describeAll(int events) {
    return descriptions.describeAll(registry.services().list(), events);
  }

  /** The declared services that {@code selected} accepts, as this node knows them. */
  public List<ServiceDescription> describeAll(
      int events, java.util.function.Predicate<StoredService> selected) {
    return descriptions.describeAll(
        registry.services().list().stream().filter(selected).toList(), events);
  }

  /** What the node says of itself: its services by state, ignored workloads, health, stages. */
  public NodeSummary summary() {
    List<StoredService> declared = registry.services().list();
    return new NodeSummary(
        registry.identity().get().id(),
        declared.size(),
        declared.stream().mapToInt(s -> s.spec().components().size()).sum(),
        descriptions.componentsByState(declared),
        registry.ignored().list(),
        ready(),
        faults(),
        stages(),
        health());
  }

  /** Which routes each service wants at the proxy, and which the proxy serves. */
  public RouteTable routes() {
    return routes;
  }

  /** Every declared route: whether the proxy serves it, and why not when it does not. */
  public List<RouteDescription> describeRoutes() {
    return new RouteDescriptions(registry, routes, this::certificate, hasProxy()).describeAll();
  }

  /**
   * A hostname's certificate as the service loop sees it: whether an L7 route on it can be
   * published, and if not, why.
   */
  public CertificateState certificate(String hostname) {
    return certificates.state(hostname);
  }

  /** What writes the service loop's observations (status, conditions, events) to the registry. */
  public StatusWriter statusWriter() {
    return status;
  }

  /** The service loop, the controller that converges each declared service. */
  public Controller<String> serviceLoop() {
    return services;
  }

  /** Boot-stage progress; empty without stages. */
  public List<StageStatus> stages() {
    return gate == null ? List.of() : gate.progress();
  }

  /** The health of each of the node's loops. */
  public List<ControllerHealth> health() {
    return manager.health();
  }

  /**
   * The node's proxy as last looked at (every {@link Builder#proxyCheckInterval}); empty without a
   * proxy, or before the first look.
   */
  public Optional<ProxyHealth> proxyHealth() {
    return routeReconciler == null ? Optional.empty() : routeReconciler.health();
  }

  /** Whether the node has a proxy to serve routes (a {@link Builder#routeRegistrar}). */
  public boolean hasProxy() {
    return routeReconciler != null;
  }

  /** Every loop has reconciled what it listed at least once. */
  public boolean ready() {
    return manager.isReady();
  }

  /** Nothing keeps the node from doing its job: see {@link #faults()}. */
  public boolean healthy() {
    return faults().isEmpty();
  }

  /**
   * What keeps the node from doing its job now, one line each: a loop that does not run with all
   * its workers, a proxy found down (its routes are dark until it is restarted). Empty when
   * healthy.
   */
  public List<String> faults() {
    List<String> faults = new ArrayList<>();
    for (ControllerHealth loop : manager.health()) {
      if (!loop.healthy()) {
        faults.add(
            loop.controller()
                + ": "
                + loop.workersAlive()
                + "/"
                + loop.workers()
                + " workers alive, running="
                + loop.running());
      }
    }
    proxyHealth()
        .filter(proxy -> !proxy.serving())
        .ifPresent(proxy -> faults.add("proxy down: " + proxy.reason()));
    RegistryHealth storage = registry.health();
    if (!storage.ok()) {
      faults.add("registry: " + storage.fault());
    }
    return faults;
  }

  /** Stops the loops (workloads keep running), waiting up to {@code timeout} for reconciles. */
  public synchronized boolean stop(Duration timeout) {
    close(declarations, "the registry subscription");
    declarations = null;
    boolean stopped = manager.stop(timeout);
    close(watch, "the runtime watch");
    watch = null;
    close(secretWatch, "the secrets directory's watch");
    secretWatch = null;
    if (gate != null) {
      gate.close();
    }
    probes.close();
    if (ownProber != null) {
      ownProber.close();
    }
    status.close();
    return stopped;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  private static void close(AutoCloseable handle, String what) {
    if (handle != null) {
      try {
        handle.close();
      } catch (Exception e) {
        LOG.log(Level.DEBUG, "closing " + what + ": " + e);
      }
    }
  }

  private static Duration routeRetryMax(Builder b) {
    Duration max = b.retryMax.compareTo(ROUTE_RETRY_MAX) < 0 ? b.retryMax : ROUTE_RETRY_MAX;
    return max.compareTo(b.retryBase) < 0 ? b.retryBase : max;
  }

  /** A service's workloads may have changed: reconcile it, and a stage waiting for it may be up. */
  private void workloadsChanged(String service) {
    services.enqueue(service);
    if (gate != null) {
      gate.workloadsChanged(service);
    }
  }

  /** A certificate failure in the history of a service whose routes need it. */
  private void certificateFailed(
      String service, String hostname, boolean stillValid, String reason) {
    if (stillValid) {
      status.event(
          service,
          null,
          ServiceEvent.Type.WARNING,
          "CertificateRenewalFailed",
          "renewing the certificate of "
              + hostname
              + " failed; the current one still serves: "
              + reason);
    } else {
      status.event(
          service,
          null,
          ServiceEvent.Type.WARNING,
          "CertificateFailed",
          "no certificate for " + hostname + ", so its routes stay unpublished: " + reason);
    }
  }

  /** Looks at the services whose components take a secret from {@code file} (any: all). */
  private void secretChanged(String file) {
    for (StoredService declared : registry.services().list()) {
      boolean uses =
          declared.spec().components().stream()
              .flatMap(component -> component.secrets().stream())
              .anyMatch(secret -> file.equals(SecretWatch.ANY_FILE) || file.equals(secret.file()));
      if (uses) {
        services.enqueue(declared.name());
      }
    }
  }

  /** What the node's gauges show: one read of the registry per scrape. */
  private NodeMeters.Snapshot meterSnapshot() {
    List<StoredService> declared = registry.services().list();
    Map<String, Instant> expiry = new HashMap<>();
    for (CertificateRecord certificate : registry.certificates().list()) {
      if (certificate.notAfter() != null) {
        expiry.put(certificate.name(), certificate.notAfter());
      }
    }
    return new NodeMeters.Snapshot(
        descriptions.servicesByPhase(declared), descriptions.componentsByState(declared), expiry);
  }

  private List<String> serviceKeys() {
    Set<String> keys = new LinkedHashSet<>(registry.services().names());
    // Services deleted while Berth was down still have workloads to remove.
    keys.addAll(cache.services());
    return new ArrayList<>(keys);
  }

  private static final class ControllerHolder {
    volatile Controller<String> controller;

    void enqueue(String key) {
      Controller<String> c = controller;
      if (c != null) {
        c.enqueue(key);
      }
    }

    void recheckHeld() {
      Controller<String> c = controller;
      if (c != null) {
        c.recheckHeld();
      }
    }
  }

  /** Everything a node's loops can be given; every setting has a default but the first two. */
  public static final class Builder {
    private final Registry registry;
    private final WorkloadRuntime runtime;
    private Clock clock = Clock.system();
    private java.time.Clock wall = java.time.Clock.systemUTC();
    private int workers = DEFAULT_WORKERS;
    private Duration resyncPeriod = DEFAULT_RESYNC_PERIOD;
    private Duration relistPeriod = DEFAULT_RELIST_PERIOD;
    private PortRange portRange = PortRange.DEFAULT;
    private RouteRegistrar routeRegistrar;
    private Duration proxyCheckInterval = RouteReconciler.DEFAULT_CHECK_INTERVAL;
    private CertificateSource certificates = CertificateSource.NONE;
    private List<BootStage> stages = List.of();
    private Prober prober;
    private Prober readinessProber;
    private final List<OwnLoop<?>> ownLoops = new ArrayList<>();
    private CrashLoopBackoff crashLoopBackoff = CrashLoopBackoff.DEFAULT;
    private Duration statusFlushInterval = StatusWriter.DEFAULT_FLUSH_INTERVAL;
    private MeterRegistry meterRegistry;
    private Duration retryBase = ExponentialBackoffRateLimiter.DEFAULT_BASE_DELAY;
    private Duration retryMax = DEFAULT_RETRY_MAX;
    private CertificateReconciler certificateLoop;
    private SecretFiles secrets = SecretFiles.none();
    private Duration certificateRetryBase = Duration.ofSeconds(10);
    private Duration certificateRetryMax = Duration.ofHours(1);

    private Builder(Registry registry, WorkloadRuntime runtime) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The engine clock for queues, delays and stage timeouts (default: the system's). */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /** The wall clock for status timestamps and crash-loop times (default: system UTC). */
    public Builder wallClock(java.time.Clock value) {
      wall = Objects.requireNonNull(value);
      return this;
    }

    /** Service reconciles that may run at once (default {@value #DEFAULT_WORKERS}). */
    public Builder workers(int value) {
      workers = value;
      return this;
    }

    /** How often every service is reconciled even if nothing happened (default 10 min). */
    public Builder resyncPeriod(Duration value) {
      resyncPeriod = Objects.requireNonNull(value);
      return this;
    }

    /** How often the runtimes are listed in full (default 30 s). */
    public Builder relistPeriod(Duration value) {
      relistPeriod = Objects.requireNonNull(value);
      return this;
    }

    /** Where routes' host ports come from (default 10000-60000). */
    public Builder portRange(PortRange value) {
      portRange = Objects.requireNonNull(value);
      return this;
    }

    /** The node's proxy (default none: routes are planned but served by nobody). */
    public Builder routeRegistrar(RouteRegistrar value) {
      routeRegistrar = value;
      return this;
    }

    /**
     * How often the proxy is looked at, so that one that died or hangs is restarted (default 1 s).
     */
    public Builder proxyCheckInterval(Duration value) {
      proxyCheckInterval = Objects.requireNonNull(value);
      return this;
    }

    /** Certificates for L7 routes (default none: L7 routes stay blocked, and say why). */
    public Builder certificates(CertificateSource value) {
      certificates = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Certificates for L7 routes from this loop, retried after a failure from {@code base} doubling
     * to {@code max} (default 10 s to 1 h: an ACME CA's rate limits are counted in hours).
     */
    public Builder certificates(CertificateReconciler loop) {
      certificateLoop = Objects.requireNonNull(loop);
      certificates = loop;
      return this;
    }

    /**
     * How long the certificate loop waits after a failure: from {@code base}, doubling to {@code
     * max} (default 10 s to 1 h).
     */
    public Builder certificateRetryBackoff(Duration base, Duration max) {
      certificateRetryBase = Objects.requireNonNull(base);
      certificateRetryMax = Objects.requireNonNull(max);
      return this;
    }

    /**
     * A loop of the embedder's own (its reconciler, key lister, workers), run by the node's manager
     * beside Berth's loops, on the node's clock and meter registry, started after Berth's loops and
     * stopped before them. {@code built} gets the controller once the node is built, before it
     * starts, to connect what enqueues its keys (a watch of the embedder's own source).
     */
    public <K> Builder controller(
        Controller.Builder<K> loop, Consumer<? super Controller<K>> built) {
      ownLoops.add(
          new OwnLoop<>(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(built)));
      return this;
    }

    /** Ordered boot stages (default none: everything starts at once). */
    public Builder stages(List<BootStage> value, Prober stageProber) {
      stages = List.copyOf(value);
      prober = Objects.requireNonNull(stageProber, "a prober for the stages' probes");
      return this;
    }

    /**
     * Probes the declared health of running workloads, on a schedule of the node's own: a component
     * with a health probe is Ready only while it passes, and a failing liveness probe restarts its
     * workload (default: the stages' prober if there are stages, else one of the node's own, a
     * {@code StandardProber} without gRPC: a declared gRPC probe then fails, naming the
     * berth-probe-grpc module).
     */
    public Builder readinessProber(Prober value) {
      readinessProber = Objects.requireNonNull(value);
      return this;
    }

    /**
     * How a component that keeps exiting is restarted: ever later, up to a cap (default {@link
     * CrashLoopBackoff#DEFAULT}).
     */
    public Builder crashLoopBackoff(CrashLoopBackoff value) {
      crashLoopBackoff = Objects.requireNonNull(value);
      return this;
    }

    /** How often observed status is written (default 100 ms); zero writes before returning. */
    public Builder statusFlushInterval(Duration value) {
      statusFlushInterval = Objects.requireNonNull(value);
      return this;
    }

    /**
     * The per-service backoff after a failed reconcile, and the per-action backoff of a failed
     * action (a failed run is not tried again sooner however often its service is reconciled):
     * {@code base}, doubling up to {@code max} (default 5 ms to 5 min), reset by a success.
     */
    public Builder retryBackoff(Duration base, Duration max) {
      retryBase = Objects.requireNonNull(base);
      retryMax = Objects.requireNonNull(max);
      return this;
    }

    /**
     * Where components take their secrets from (default: nowhere, and a component with secrets
     * fails with {@code SecretUnusable}). Its directory is watched while the node runs.
     */
    public Builder secrets(SecretFiles value) {
      secrets = Objects.requireNonNull(value);
      return this;
    }

    /** Where the node's metrics go, the engine's and its own (default null: no metrics). */
    public Builder meterRegistry(MeterRegistry value) {
      meterRegistry = value;
      return this;
    }

    /** The node, not started yet. */
    public BerthNode build() {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, was " + workers);
      }
      return new BerthNode(this);
    }
  }
}
