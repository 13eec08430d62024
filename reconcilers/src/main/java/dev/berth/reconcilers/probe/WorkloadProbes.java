package dev.berth.reconcilers.probe;

import dev.berth.core.time.Cancellable;
import dev.berth.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Probes running workloads on a schedule of their own, off the service loop's workers, and keeps
 * what each one's probes found ({@link ProbeStatus}), so that a reconcile reads the last answer and
 * never waits for a probe (as the boot gate's {@code StageWatch} does for stages).
 *
 * <p>The service loop says which workloads of a service to probe ({@link #watch}), every time it
 * looks at the service: workloads it no longer names (gone, exited, of a deleted service) are
 * forgotten, their timers cancelled. A workload is first probed once its initial delay from its
 * start has passed, then every {@link Target#period}. Until it first passes it is probed every
 * {@link #STARTING_PERIOD} at most, so that one that comes up is found Ready within a second rather
 * than a period later; its failures still count at most once a period, so that a liveness probe
 * restarts a workload that never answers no sooner than its threshold of periods says.
 *
 * <p>{@code changed} is told the service's name whenever what a workload's probes found changes in
 * a way the plan reads: its first answer, healthy to failing or back, and each counted failure.
 */
public final class WorkloadProbes implements AutoCloseable {

  /** How often a workload that has not passed yet is probed, at most. */
  public static final Duration STARTING_PERIOD = Duration.ofSeconds(1);

  /** Probes that may run at once on the scheduler's own threads. */
  static final int THREADS = 4;

  /**
   * Where and how often to probe one workload.
   *
   * @param target what to probe
   * @param period how often
   * @param timeout how long one probe may take
   * @param initialDelay how long after {@code startedAt} the first probe is
   * @param startedAt when the workload's current run started (null: unknown, counted as now); a new
   *     run starts its probing afresh
   */
  public record Target(
      ProbeTarget target,
      Duration period,
      Duration timeout,
      Duration initialDelay,
      Instant startedAt) {

    /** Requires the target, period and timeout. */
    public Target {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(initialDelay, "initialDelay");
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("probe period must be positive, was " + period);
      }
    }
  }

  private final Prober prober;
  private final Clock clock;
  private final java.time.Clock wall;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final Consumer<String> changed;

  /** Guarded by this: the watched workloads by id, and whether close() ran. */
  private final Map<String, Watched> watched = new HashMap<>();

  private boolean closed;

  /**
   * Probes on threads of its own.
   *
   * @param clock times the probes
   * @param wall dates them, and reads the workloads' start times
   * @param changed told a service's name when a workload of it is found changed
   */
  public WorkloadProbes(
      Prober prober, Clock clock, java.time.Clock wall, Consumer<String> changed) {
    this(prober, clock, wall, null, changed);
  }

  /** As above, with the probes run on {@code executor} (a direct one in tests), or null. */
  WorkloadProbes(
      Prober prober,
      Clock clock,
      java.time.Clock wall,
      Executor executor,
      Consumer<String> changed) {
    this.prober = Objects.requireNonNull(prober, "prober");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wall = Objects.requireNonNull(wall, "wall");
    this.changed = Objects.requireNonNull(changed, "changed");
    AtomicInteger threads = new AtomicInteger();
    this.ownExecutor =
        executor != null
            ? null
            : Executors.newFixedThreadPool(
                THREADS,
                runnable -> {
                  Thread thread = new Thread(runnable, "berth-probe-" + threads.incrementAndGet());
                  thread.setDaemon(true);
                  return thread;
                });
    this.executor = executor != null ? executor : ownExecutor;
  }

  /**
   * Makes {@code targets} (by workload id) the workloads of {@code service} to probe: new ones are
   * scheduled, those whose target or run changed start afresh, and the service's others are
   * forgotten.
   *
   * @return what the probes of the named workloads found so far, by id; a workload not probed yet
   *     is absent
   */
  public Map<String, ProbeStatus> watch(String service, Map<String, Target> targets) {
    Objects.requireNonNull(service, "service");
    Map<String, ProbeStatus> found = new HashMap<>();
    synchronized (this) {
      watched
          .values()
          .removeIf(
              w -> {
                boolean drop =
                    w.service.equals(service) && !w.target.equals(targets.get(w.workloadId));
                if (drop) {
                  w.cancel();
                }
                return drop;
              });
      for (var entry : targets.entrySet()) {
        Watched w = watched.get(entry.getKey());
        if (w != null && !w.service.equals(service)) {
          w.cancel(); // an id reused by another service: nothing of the old one holds
          w = null;
        }
        if (w == null) {
          w = new Watched(service, entry.getKey(), entry.getValue());
          watched.put(w.workloadId, w);
          if (!closed) {
            w.next = clock.schedule(firstDelay(entry.getValue()), w::due);
          }
        }
        if (w.status != null) {
          found.put(w.workloadId, w.status);
        }
      }
    }
    return Map.copyOf(found);
  }

  /** What the probes of a watched workload found so far; null if not probed yet or not watched. */
  public synchronized ProbeStatus status(String workloadId) {
    Watched w = watched.get(workloadId);
    return w == null ? null : w.status;
  }

  /** The workloads watched now, by id, with the service each is of. For tests and diagnostics. */
  synchronized Map<String, String> watched() {
    Map<String, String> services = new HashMap<>();
    watched.forEach((id, w) -> services.put(id, w.service));
    return Map.copyOf(services);
  }

  /** Stops probing; probes under way finish, their results dropped. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      watched.values().forEach(Watched::cancel);
      watched.clear();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  private Duration firstDelay(Target target) {
    if (target.startedAt() == null) {
      return target.initialDelay();
    }
    Duration left =
        Duration.between(wall.instant(), target.startedAt().plus(target.initialDelay()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** One watched workload; its fields are guarded by the scheduler's lock. */
  private final class Watched {
    final String service;
    final String workloadId;
    final Target target;
    ProbeStatus status;
    Cancellable next;
    boolean cancelled;

    /** When the last counted failure was, by the clock; meaningless while healthy. */
    long countedAt;

    /** Whether a probe of it ever passed: from then on it is probed every period. */
    boolean passedOnce;

    Watched(String service, String workloadId, Target target) {
      this.service = service;
      this.workloadId = workloadId;
      this.target = target;
    }

    /** Its timer fired: probe it on the executor, never on the timer's thread. */
    void due() {
      synchronized (WorkloadProbes.this) {
        next = null;
        if (cancelled) {
          return;
        }
      }
      try {
        executor.execute(this::probe);
      } catch (RejectedExecutionException stopping) {
        // Closed meanwhile: the node is stopping.
      }
    }

    void probe() {
      ProbeResult result;
      try {
        result = prober.probe(target.target(), target.timeout());
      } catch (RuntimeException e) {
        // A prober must not throw; one that does must not end the workload's schedule either.
        result = ProbeResult.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      boolean tell;
      synchronized (WorkloadProbes.this) {
        if (cancelled) {
          return;
        }
        tell = record(result);
        if (!closed) {
          next = clock.schedule(interval(), this::due);
        }
      }
      if (tell) {
        changed.accept(service);
      }
    }

    /** Its period, but at most {@link #STARTING_PERIOD} until it first passes. */
    private Duration interval() {
      Duration period = target.period();
      return passedOnce || period.compareTo(STARTING_PERIOD) <= 0 ? period : STARTING_PERIOD;
    }

    /** Keeps what the probe found; says whether the plan would read it differently. */
    private boolean record(ProbeResult result) {
      ProbeStatus before = status;
      Instant at = wall.instant();
      long now = clock.nanoTime();
      if (result.healthy()) {
        passedOnce = true;
        status = ProbeStatus.passed(at);
        return before == null || !before.healthy();
      }
      String error = result.detail() == null ? "failed" : result.detail();
      if (before == null || before.healthy()) {
        countedAt = now;
        status = ProbeStatus.failed(1, error, at);
        return true;
      }
      // Probed faster than its period until it first passes: a failure counts once a period.
      boolean counts = now - countedAt >= target.period().toNanos();
      if (counts) {
        countedAt = now;
      }
      status = ProbeStatus.failed(before.consecutiveFailures() + (counts ? 1 : 0), error, at);
      return counts;
    }

    void cancel() {
      cancelled = true;
      if (next != null) {
        next.cancel();
        next = null;
      }
    }
  }
}
