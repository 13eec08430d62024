package dev.berth.core.controller;

import dev.berth.core.queue.ExponentialBackoffRateLimiter;
import dev.berth.core.queue.Lane;
import dev.berth.core.queue.RateLimiter;
import dev.berth.core.queue.WorkQueue;
import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a {@link Reconciler} over a {@link WorkQueue}: N worker threads take keys, reconcile them
 * and act on the outcome (done, requeue after a delay, retry with backoff, park on a terminal
 * error).
 *
 * <p>With a {@link KeyLister}, the controller lists every key at start and again every resync
 * period (plus jitter, so that many controllers or nodes do not resync in step), and adds them in
 * the {@link Lane#RESYNC} lane: keys added by {@link #enqueue} overtake them. A resync is what
 * makes missed events harmless.
 *
 * <p>With a {@link Gate} (such as ordered start-up stages), a key the gate does not admit is held:
 * not reconciled, not counted as a reconcile, and released when a recheck admits it: every {@link
 * Builder#gateRecheck}, and at once when {@link #recheckHeld} says the gate's answer may have
 * changed. Waiting is never done on a thread.
 *
 * <p>Nothing a reconciler throws, {@link Error}s included, ever kills a worker thread.
 *
 * @param <K> the key type
 */
public final class Controller<K> {

  /** One worker, as controller-runtime: simplest to reason about; raise it for throughput. */
  public static final int DEFAULT_WORKERS = 1;

  /** Events carry the changes; the resync only catches what they missed, so it can be rare. */
  public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofMinutes(10);

  /** Each resync comes 0 to 10% later than the period. */
  public static final double DEFAULT_RESYNC_JITTER = 0.1;

  /** Held keys are rechecked this often: a stage follows the one before within a second. */
  public static final Duration DEFAULT_GATE_RECHECK = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(Controller.class.getName());

  /** Failed reconciles, one line each: its own logger, so embedders can quieten just these. */
  private static final System.Logger FAILURES =
      System.getLogger(Controller.class.getName() + ".failures");

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  /**
   * Every way one look at a key can end; {@link #finish} holds one branch for each, as
   * controller-runtime's {@code reconcileHandler} does.
   */
  private enum Ending {
    /** The gate did not admit the key: it was not reconciled. */
    HELD,
    /** Converged; nothing to do until a change or the next resync. */
    SUCCESS,
    /** Converged for now; look again after the result's delay. */
    REQUEUE_AFTER,
    /** An earlier failure's backoff has not passed: look again when it has, failure kept. */
    BACKING_OFF,
    /** Failed; retry with the key's backoff. */
    ERROR,
    /** Failed in a way a retry cannot fix: park the key until it changes. */
    TERMINAL_ERROR;

    static Ending of(Result result, Throwable failure) {
      if (failure instanceof TerminalException) {
        return TERMINAL_ERROR;
      }
      if (failure != null) {
        return ERROR;
      }
      if (result.backingOff()) {
        return BACKING_OFF;
      }
      return result.requeueAfter() == null ? SUCCESS : REQUEUE_AFTER;
    }
  }

  private final String name;
  private final Reconciler<K> reconciler;
  private final WorkQueue<K> queue;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final List<Thread> workers;

  /** Null without a key lister: then keys come only from {@link #enqueue}. */
  private final Resync<K> resync;

  /** Null without a gate: then every key is admitted. */
  private final HeldKeys<K> held;

  /** Listing keys and rechecking the gate may be slow: never on the clock's shared timer. */
  private final ExecutorService background;

  /**
   * Keys whose last reconcile failed terminally, with why. A key is here from that failure until it
   * is enqueued again or a later reconcile of it ends otherwise; resyncs skip it meanwhile.
   */
  private final Map<K, String> parked = new ConcurrentHashMap<>();

  /**
   * Keys of the first listing not reconciled once yet. The controller is {@code ready} once the
   * first listing is done and this is empty, and stays ready from then on.
   */
  private final Set<K> firstPassPending = ConcurrentHashMap.newKeySet();

  private volatile boolean firstListingDone;
  private volatile boolean ready;
  private volatile State state = State.NEW;

  private Controller(Builder<K> builder) {
    this.name = builder.name;
    this.reconciler = builder.reconciler;
    this.clock = builder.clock;
    WorkQueue.Builder<K> queueBuilder =
        WorkQueue.<K>builder(name).clock(clock).rateLimiter(builder.rateLimiter);
    if (builder.meterRegistry != null) {
      queueBuilder.meterRegistry(builder.meterRegistry);
      this.metrics = ControllerMetrics.micrometer(builder.meterRegistry, name, builder.workers);
    } else {
      this.metrics = ControllerMetrics.none();
    }
    this.queue = queueBuilder.build();
    this.workers = new ArrayList<>(builder.workers);
    for (int i = 0; i < builder.workers; i++) {
      Thread worker = new Thread(this::work, "berth-" + name + "-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    this.background =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "berth-" + name + "-background");
              thread.setDaemon(true);
              return thread;
            });
    this.resync =
        builder.keyLister == null
            ? null
            : new Resync<>(
                name,
                builder.keyLister,
                builder.resyncPeriod,
                builder.resyncJitter,
                clock,
                this::onBackground,
                this::listed);
    this.held =
        builder.gate == null
            ? null
            : new HeldKeys<>(
                builder.gate,
                builder.gateRecheck,
                clock,
                this::onBackground,
                keys -> queue.addAll(keys, Lane.RESYNC));
  }

  /** A controller named {@code name} (the {@code controller} and queue {@code name} tags). */
  public static <K> Builder<K> builder(String name, Reconciler<K> reconciler) {
    return new Builder<>(name, reconciler);
  }

  /**
   * Its name, as given to {@link #builder}: the {@code controller} tag of its metrics and the name
   * in its log lines.
   */
  public String name() {
    return name;
  }

  /** Starts the workers and, with a key lister, the initial listing and the periodic resync. */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("controller " + name + " was already started");
    }
    state = State.RUNNING;
    workers.forEach(Thread::start);
    if (resync == null) {
      firstListingDone = true;
      ready = true;
    } else {
      resync.start();
    }
    LOG.log(Level.INFO, "controller {0} started with {1} worker(s)", name, workers.size());
  }

  /** Reconcile this key soon, ahead of any resync backlog; also frees it if it was parked. */
  public void enqueue(K key) {
    parked.remove(key);
    queue.add(key, Lane.CHANGE);
  }

  /** Reconcile this key after {@code delay}; also frees it if it was parked. */
  public void enqueueAfter(K key, Duration delay) {
    parked.remove(key);
    queue.addAfter(key, delay, Lane.CHANGE);
  }

  /**
   * Stops listing, lets each worker finish the key it holds (waiting keys are abandoned: the next
   * start reconciles everything anyway), and interrupts workers still busy after {@code timeout}.
   *
   * @return true if every in-flight reconcile finished within the timeout
   */
  public boolean stop(Duration timeout) {
    synchronized (this) {
      if (state == State.NEW) {
        state = State.STOPPED;
        return true;
      }
      if (state != State.RUNNING) {
        return true;
      }
      state = State.STOPPING;
      if (resync != null) {
        resync.stop();
      }
      if (held != null) {
        held.stop();
      }
    }
    background.shutdownNow();
    boolean drained;
    try {
      drained = queue.shutDownWithDrain(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (!drained) {
      LOG.log(
          Level.WARNING,
          "controller {0}: reconciles still running after {1}; interrupting them",
          name,
          timeout);
      workers.forEach(Thread::interrupt);
    }
    for (Thread worker : workers) {
      try {
        worker.join(drained ? 0 : 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    state = State.STOPPED;
    LOG.log(Level.INFO, "controller {0} stopped", name);
    return drained;
  }

  /**
   * A snapshot of its state: whether it runs with all its workers, whether its first pass is done,
   * and how many keys wait, run, are delayed, held or parked.
   */
  public ControllerHealth health() {
    int alive = 0;
    for (Thread worker : workers) {
      if (worker.isAlive()) {
        alive++;
      }
    }
    return new ControllerHealth(
        name,
        state == State.RUNNING,
        workers.size(),
        alive,
        ready,
        queue.len(),
        queue.inFlight(),
        queue.pendingDelayed(),
        held == null ? 0 : held.size(),
        parked.size());
  }

  /** The keys its queue holds now: waiting, in flight, and delayed with the time until due. */
  public WorkQueue.Pending<K> pending() {
    return queue.pending();
  }

  /** Keys whose last reconcile failed terminally, with the failure's message. */
  public Map<K, String> parked() {
    return new HashMap<>(parked);
  }

  /** Keys the gate holds back, with what each waits for. */
  public Map<K, Admission> held() {
    return held == null ? new HashMap<>() : held.snapshot();
  }

  /**
   * Offers the held keys to the gate again now, rather than at the next periodic recheck: for a
   * gate whose answers change with something it watches (a readiness that just turned true), so
   * that what it held goes on at once. Cheap to call when nothing is held; runs on the controller's
   * background thread, never on the caller's.
   */
  public void recheckHeld() {
    if (held != null) {
      held.offerNow();
    }
  }

  // ---- workers ----

  private void work() {
    while (true) {
      K key;
      try {
        Optional<K> next = queue.get();
        if (next.isEmpty()) {
          return;
        }
        key = next.get();
      } catch (InterruptedException e) {
        return;
      }
      metrics.busy();
      try {
        look(key);
      } finally {
        queue.done(key);
        metrics.idle();
      }
    }
  }

  /** One look at a key: ask the gate, reconcile, and act on how it ended. */
  private void look(K key) {
    if (held != null) {
      Admission admission = held.admit(key);
      if (!admission.admitted()) {
        finish(key, Ending.HELD, null, null, admission);
        return;
      }
    }
    long start = clock.nanoTime();
    Result result = null;
    Throwable failure = null;
    try {
      result = reconciler.reconcile(key);
    } catch (Throwable t) { // Errors too: one bad key must not take a worker down with it.
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = t;
    }
    ReconcileOutcome outcome = finish(key, Ending.of(result, failure), result, failure, null);
    metrics.reconciled(outcome, clock.nanoTime() - start);
    if (!ready) {
      markFirstPass(key);
    }
  }

  /**
   * The decision table, after controller-runtime's {@code reconcileHandler}: for each way a look
   * can end, its queue call, its log line and the {@code result} label it counts under. {@code
   * result} is null for a failure or a held key, {@code failure} null unless it failed, {@code
   * admission} null unless held.
   *
   * @return the label, or null for a look that is no reconcile (a held key)
   */
  private ReconcileOutcome finish(
      K key, Ending ending, Result result, Throwable failure, Admission admission) {
    switch (ending) {
      case HELD:
        // No queue call: the hold releases the key when the gate's answer changes.
        LOG.log(Level.DEBUG, "controller {0}: {1} held: {2}", name, key, admission.reason());
        return null;
      case SUCCESS:
        queue.forget(key);
        unpark(key);
        LOG.log(Level.DEBUG, "controller {0}: {1} reconciled", name, key);
        return ReconcileOutcome.SUCCESS;
      case REQUEUE_AFTER:
        queue.forget(key);
        unpark(key);
        queue.addAfter(key, result.requeueAfter());
        LOG.log(
            Level.DEBUG,
            "controller {0}: {1} reconciled, again in {2}",
            name,
            key,
            result.requeueAfter());
        return ReconcileOutcome.REQUEUE_AFTER;
      case BACKING_OFF:
        // No forget: the key's failure count stays, so its next failure waits longer.
        unpark(key);
        queue.addAfter(key, result.requeueAfter());
        LOG.log(
            Level.DEBUG,
            "controller {0}: {1} still backing off, again in {2}",
            name,
            key,
            result.requeueAfter());
        return ReconcileOutcome.REQUEUE;
      case ERROR:
        unpark(key);
        queue.addRateLimited(key);
        logFailure(key, failure);
        return ReconcileOutcome.ERROR;
      case TERMINAL_ERROR:
        queue.forget(key);
        parked.put(key, String.valueOf(failure.getMessage()));
        FAILURES.log(
            Level.WARNING,
            "controller {0}: {1} failed terminally, not retrying until it changes: {2}",
            name,
            key,
            failure.getMessage());
        return ReconcileOutcome.TERMINAL_ERROR;
    }
    throw new AssertionError(ending);
  }

  private void unpark(K key) {
    if (!parked.isEmpty()) {
      parked.remove(key);
    }
  }

  /** The whole stack on the first failure of a streak; one line for each repetition. */
  private void logFailure(K key, Throwable t) {
    int streak = queue.numRequeues(key);
    if (streak <= 1) {
      FAILURES.log(Level.WARNING, "controller " + name + ": " + key + " failed, retrying", t);
    } else {
      FAILURES.log(
          Level.WARNING,
          "controller {0}: {1} failed {2} times in a row, retrying with backoff: {3}",
          name,
          key,
          streak,
          t.toString());
    }
  }

  private void markFirstPass(K key) {
    firstPassPending.remove(key);
    if (firstListingDone && firstPassPending.isEmpty()) {
      ready = true;
    }
  }

  // ---- resync ----

  /** Each listing: the first one sets what readiness waits for; parked keys are skipped. */
  private void listed(Collection<K> keys) {
    if (!firstListingDone) {
      firstPassPending.addAll(keys);
      firstListingDone = true;
      if (firstPassPending.isEmpty()) {
        ready = true;
      }
    }
    if (parked.isEmpty()) {
      queue.addAll(keys, Lane.RESYNC);
    } else {
      queue.addAll(keys.stream().filter(key -> !parked.containsKey(key)).toList(), Lane.RESYNC);
    }
  }

  private void onBackground(Runnable task) {
    try {
      background.execute(task);
    } catch (RejectedExecutionException stopped) {
      // The controller stopped between the timer firing and now.
    }
  }

  /** Settings of a controller; every one has a default that works. */
  public static final class Builder<K> {
    private final String name;
    private final Reconciler<K> reconciler;
    private int workers = DEFAULT_WORKERS;
    private KeyLister<K> keyLister;
    private Duration resyncPeriod = DEFAULT_RESYNC_PERIOD;
    private double resyncJitter = DEFAULT_RESYNC_JITTER;
    private RateLimiter<K> rateLimiter = new ExponentialBackoffRateLimiter<>();
    private Clock clock = Clock.system();
    private MeterRegistry meterRegistry;
    private Gate<K> gate;
    private Duration gateRecheck = DEFAULT_GATE_RECHECK;

    private Builder(String name, Reconciler<K> reconciler) {
      this.name = Objects.requireNonNull(name, "name");
      this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    /** Default {@value Controller#DEFAULT_WORKERS}. One key never runs on two workers at once. */
    public Builder<K> workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Default none: no initial pass and no resync; keys come only from {@link #enqueue}. */
    public Builder<K> keyLister(KeyLister<K> keyLister) {
      this.keyLister = Objects.requireNonNull(keyLister, "keyLister");
      return this;
    }

    /** Default 10 minutes. Used only with a key lister. */
    public Builder<K> resyncPeriod(Duration resyncPeriod) {
      if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
        throw new IllegalArgumentException("resync period must be positive, was " + resyncPeriod);
      }
      this.resyncPeriod = resyncPeriod;
      return this;
    }

    /** Default 0.1: each resync comes up to 10% of the period late. 0 disables jitter. */
    public Builder<K> resyncJitter(double resyncJitter) {
      if (!(resyncJitter >= 0 && resyncJitter <= 1)) {
        throw new IllegalArgumentException("resync jitter must be in [0, 1], was " + resyncJitter);
      }
      this.resyncJitter = resyncJitter;
      return this;
    }

    /** Default per-key exponential backoff, 5 ms doubling up to 1000 s. */
    public Builder<K> rateLimiter(RateLimiter<K> rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /** Default {@link Clock#system()}. */
    public Builder<K> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Default none: no metrics. */
    public Builder<K> meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Default none: every key is admitted. With a gate, keys it does not admit are held and
     * rechecked every {@link #gateRecheck} (default 1 s).
     */
    public Builder<K> gate(Gate<K> gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** Default 1 s: how often held keys are offered to the gate again. */
    public Builder<K> gateRecheck(Duration gateRecheck) {
      if (gateRecheck.isNegative() || gateRecheck.isZero()) {
        throw new IllegalArgumentException("gate recheck must be positive, was " + gateRecheck);
      }
      this.gateRecheck = gateRecheck;
      return this;
    }

    /** A controller with these settings, not started yet. */
    public Controller<K> build() {
      return new Controller<>(this);
    }
  }
}
