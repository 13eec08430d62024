package dev.berth.runtime.fake;

import dev.berth.runtime.EventHub;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.identity.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An in-memory runtime for tests and benchmarks, public for embedders' tests too. It behaves like a
 * real runtime where that matters to a reconciler, and can be told to misbehave.
 *
 * <p>Like a real runtime it: keeps images (present on the node) apart from a registry (what could
 * be pulled); refuses to run an absent image; refuses a host port another running workload holds
 * ({@code PORT_TAKEN}); treats starting a running workload and stopping a stopped one as no-ops;
 * and publishes the events podman would (CREATED and STARTED on run, DIED on stop or kill, REMOVED
 * on remove, OOM then DIED on an out-of-memory kill).
 *
 * <p>Faults, all deterministic given the seed:
 *
 * <ul>
 *   <li>{@link #failureRate}: the share of calls of one operation that fail ({@code FAILED},
 *       retryable);
 *   <li>{@link #latency}: time added to every call of one operation (real time, for benchmarks);
 *   <li>{@link #unavailable}: every call fails with {@code UNAVAILABLE}, as a stopped daemon;
 *   <li>{@link #loseState}: every workload is forgotten at once, with no event, as when podman
 *       loses its database: only a relist notices;
 *   <li>{@link #killOutOfBand}, {@link #oomKill}, {@link #removeOutOfBand}: what an operator or the
 *       kernel does behind Berth's back, with the events a real runtime would publish.
 * </ul>
 */
public final class FakeRuntime implements WorkloadRuntime {

  /** The operations faults can be aimed at. */
  public enum Operation {
    /** {@code ensureImage}: an image is made present, pulled as its pull policy says. */
    ENSURE_IMAGE,
    /** A pull from the registry, as {@code ensureImage} does when an image is missing. */
    PULL,
    /** {@code run}: a workload is created and started. */
    RUN,
    /** {@code start}. */
    START,
    /** {@code stop}. */
    STOP,
    /** {@code remove}. */
    REMOVE,
    /** {@code inspect}. */
    INSPECT,
    /** {@code list}. */
    LIST,
    /** {@code logs}. */
    LOGS
  }

  private final String name;
  private final Set<WorkloadKind> kinds;
  private final Clock clock;
  private final EventHub events = new EventHub();
  private final Random random;

  // Guarded by this. Indexes, so that run and start stay O(ports) among thousands of workloads:
  // byName holds every workload by name (names are unique in a runtime, as in podman);
  // hostPorts holds the host ports of running workloads, each with the workload that holds it.
  private final Map<String, FakeWorkload> workloads = new LinkedHashMap<>();
  private final Map<String, FakeWorkload> byName = new HashMap<>();
  private final Map<Integer, FakeWorkload> hostPorts = new HashMap<>();
  private final Set<String> images = new HashSet<>();
  private final Set<String> registry = new HashSet<>();
  private final Map<Operation, Double> failureRates = new EnumMap<>(Operation.class);
  private final Map<Operation, Duration> latencies = new EnumMap<>(Operation.class);
  private final Map<Operation, Integer> calls = new EnumMap<>(Operation.class);
  private boolean unavailable;
  private boolean registryReachable = true;
  private long nextId = 1;

  /** A fake serving every kind, seeded with 0. */
  public FakeRuntime() {
    this("fake", Set.of(WorkloadKind.values()), 0, Clock.systemUTC());
  }

  /**
   * A fake named {@code name} that serves {@code kinds}, drawing its random faults from {@code
   * seed} (the same seed, the same faults) and stamping events with {@code clock}.
   */
  public FakeRuntime(String name, Set<WorkloadKind> kinds, long seed, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.kinds = Set.copyOf(kinds);
    this.random = new Random(seed);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- setting the scene ----

  /** Puts an image on the node, as if it had been pulled or loaded. */
  public synchronized FakeRuntime addImage(String image) {
    images.add(image);
    return this;
  }

  /** Removes an image from the node (the registry may still have it). */
  public synchronized FakeRuntime removeImage(String image) {
    images.remove(image);
    return this;
  }

  /** Makes an image available for pulling. */
  public synchronized FakeRuntime publish(String image) {
    registry.add(image);
    return this;
  }

  /** Whether pulls can reach the registry (the predecessor's recovery failed here). */
  public synchronized FakeRuntime registryReachable(boolean reachable) {
    registryReachable = reachable;
    return this;
  }

  /** Whether {@code image} is on the node. */
  public synchronized boolean hasImage(String image) {
    return images.contains(image);
  }

  // ---- faults ----

  /** The share (0..1) of calls of {@code operation} that fail with a retryable FAILED. */
  public synchronized FakeRuntime failureRate(Operation operation, double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("a failure rate is between 0 and 1, was " + rate);
    }
    failureRates.put(operation, rate);
    return this;
  }

  /** Real time added to every call of {@code operation}. */
  public synchronized FakeRuntime latency(Operation operation, Duration latency) {
    latencies.put(operation, latency);
    return this;
  }

  /** While true, every call fails with UNAVAILABLE, as when the daemon is down. */
  public synchronized FakeRuntime unavailable(boolean down) {
    unavailable = down;
    return this;
  }

  /** Forgets every workload at once, publishing nothing: the daemon lost its state. */
  public synchronized void loseState() {
    workloads.clear();
    byName.clear();
    hostPorts.clear();
  }

  /** Kills a running workload behind Berth's back: DIED with the exit code. */
  public void killOutOfBand(String id, int exitCode) {
    RuntimeEvent died;
    synchronized (this) {
      FakeWorkload workload = existing(id);
      if (workload.state != WorkloadState.RUNNING) {
        return;
      }
      workload.exit(exitCode);
      died = workload.event(RuntimeEvent.Type.DIED, exitCode);
    }
    events.publish(died);
  }

  /**
   * The kernel's OOM killer hits a running workload: OOM, then DIED with 137, and the workload says
   * it was OOM-killed until it starts again.
   */
  public void oomKill(String id) {
    RuntimeEvent oom;
    RuntimeEvent died;
    synchronized (this) {
      FakeWorkload workload = existing(id);
      if (workload.state != WorkloadState.RUNNING) {
        return;
      }
      workload.exit(137);
      workload.oomKilled = true;
      oom = workload.event(RuntimeEvent.Type.OOM, null);
      died = workload.event(RuntimeEvent.Type.DIED, 137);
    }
    events.publish(oom);
    events.publish(died);
  }

  /** Removes a workload behind Berth's back: DIED if it ran, then REMOVED. */
  public void removeOutOfBand(String id) {
    List<RuntimeEvent> published;
    synchronized (this) {
      published = removeLocked(existing(id));
    }
    published.forEach(events::publish);
  }

  /** Removes it, under this runtime's lock; returns the events to publish once out of it. */
  private List<RuntimeEvent> removeLocked(FakeWorkload workload) {
    List<RuntimeEvent> published = new ArrayList<>();
    if (workload.state == WorkloadState.RUNNING) {
      workload.exit(137);
      published.add(workload.event(RuntimeEvent.Type.DIED, 137));
    }
    workloads.remove(workload.id);
    byName.remove(workload.spec.name());
    published.add(workload.event(RuntimeEvent.Type.REMOVED, null));
    return published;
  }

  /** Adds a line to a workload's output. */
  public synchronized void log(String id, String line) {
    existing(id).output.add(line);
  }

  /** How many times {@code operation} was called, failed calls included. */
  public synchronized int calls(Operation operation) {
    return calls.getOrDefault(operation, 0);
  }

  // ---- the runtime ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<WorkloadKind> kinds() {
    return kinds;
  }

  @Override
  public void ensureImage(String image, PullPolicy policy) {
    enter(Operation.ENSURE_IMAGE);
    boolean present;
    synchronized (this) {
      present = images.contains(image);
    }
    if (policy == PullPolicy.NEVER || (policy == PullPolicy.IF_ABSENT && present)) {
      if (!present) {
        throw new RuntimeFailure(
            Reason.IMAGE_MISSING,
            name + ": image " + image + " is not on the node",
            "pull policy never");
      }
      return;
    }
    pull(image);
  }

  private void pull(String image) {
    enter(Operation.PULL);
    synchronized (this) {
      if (!registryReachable) {
        throw new RuntimeFailure(
            Reason.IMAGE_MISSING, name + ": cannot pull " + image, "registry unreachable");
      }
      if (!registry.contains(image)) {
        throw new RuntimeFailure(
            Reason.IMAGE_MISSING, name + ": cannot pull " + image, "manifest unknown");
      }
      images.add(image);
    }
  }

  @Override
  public Workload run(WorkloadSpec spec) {
    enter(Operation.RUN);
    List<RuntimeEvent> published = new ArrayList<>();
    Workload observed;
    synchronized (this) {
      if (!kinds.contains(spec.kind())) {
        throw new RuntimeFailure(
            Reason.INVALID_SPEC,
            name + " does not run " + spec.kind() + " workloads",
            (String) null);
      }
      if (spec.image() != null && !images.contains(spec.image())) {
        throw new RuntimeFailure(
            Reason.IMAGE_MISSING,
            name + ": image " + spec.image() + " is not on the node",
            (String) null);
      }
      FakeWorkload holder = byName.get(spec.name());
      if (holder != null) {
        // As podman: a stranger's name is NAME_IN_USE, the same registry's own is retried.
        String stranger = Labels.strangerHolding(holder.spec.labels(), spec.labels());
        throw new RuntimeFailure(
            stranger == null ? Reason.FAILED : Reason.NAME_IN_USE,
            name
                + ": the name "
                + spec.name()
                + " is in use by "
                + holder.id
                + (stranger == null ? "" : ", " + stranger),
            (String) null);
      }
      requirePortsFree(spec, null);
      FakeWorkload workload = new FakeWorkload(String.format("fake-%06d", nextId++), spec);
      workloads.put(workload.id, workload);
      byName.put(spec.name(), workload);
      published.add(workload.event(RuntimeEvent.Type.CREATED, null));
      workload.start(clock);
      published.add(workload.event(RuntimeEvent.Type.STARTED, null));
      observed = workload.observe();
    }
    published.forEach(events::publish);
    return observed;
  }

  @Override
  public void start(String id) {
    enter(Operation.START);
    RuntimeEvent started;
    synchronized (this) {
      FakeWorkload workload = existing(id);
      if (workload.state == WorkloadState.RUNNING) {
        return;
      }
      requirePortsFree(workload.spec, id);
      workload.start(clock);
      started = workload.event(RuntimeEvent.Type.STARTED, null);
    }
    events.publish(started);
  }

  @Override
  public void stop(String id, Duration timeout) {
    enter(Operation.STOP);
    RuntimeEvent died;
    synchronized (this) {
      FakeWorkload workload = existing(id);
      if (workload.state != WorkloadState.RUNNING) {
        return;
      }
      workload.exit(0);
      died = workload.event(RuntimeEvent.Type.DIED, 0);
    }
    events.publish(died);
  }

  /**
   * As podman's {@code rm -f}: the same as a removal behind Berth's back, but counted; nothing if
   * the workload is gone.
   */
  @Override
  public void remove(String id) {
    enter(Operation.REMOVE);
    List<RuntimeEvent> published;
    synchronized (this) {
      FakeWorkload workload = workloads.get(id);
      if (workload == null) {
        return;
      }
      published = removeLocked(workload);
    }
    published.forEach(events::publish);
  }

  @Override
  public Optional<Workload> inspect(String id) {
    enter(Operation.INSPECT);
    synchronized (this) {
      FakeWorkload workload = workloads.get(id);
      return workload == null ? Optional.empty() : Optional.of(workload.observe());
    }
  }

  @Override
  public List<Workload> list() {
    enter(Operation.LIST);
    synchronized (this) {
      return workloads.values().stream().map(FakeWorkload::observe).toList();
    }
  }

  /** The output so far; a followed stream ends there too (a fake has no future output). */
  @Override
  public Stream<String> logs(String id, int tail, boolean follow) {
    enter(Operation.LOGS);
    synchronized (this) {
      List<String> output = existing(id).output;
      return List.copyOf(output.subList(Math.max(0, output.size() - tail), output.size())).stream();
    }
  }

  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return events.watch(listener);
  }

  // ---- internals ----

  /** Counts the call, applies latency, then injected unavailability and failures. */
  private void enter(Operation operation) {
    Duration latency;
    synchronized (this) {
      calls.merge(operation, 1, Integer::sum);
      latency = latencies.get(operation);
    }
    if (latency != null && !latency.isZero()) {
      LockSupport.parkNanos(latency.toNanos());
    }
    synchronized (this) {
      if (unavailable) {
        throw new RuntimeFailure(
            Reason.UNAVAILABLE, name + " is unavailable", "cannot connect to the fake daemon");
      }
      double rate = failureRates.getOrDefault(operation, 0.0);
      if (rate > 0 && random.nextDouble() < rate) {
        throw new RuntimeFailure(
            Reason.FAILED, name + ": injected failure of " + operation, "injected");
      }
    }
  }

  private FakeWorkload existing(String id) {
    FakeWorkload workload = workloads.get(id);
    if (workload == null) {
      throw RuntimeFailure.notFound(name, id);
    }
    return workload;
  }

  private void requirePortsFree(WorkloadSpec spec, String self) {
    for (PortBinding port : spec.ports()) {
      FakeWorkload other = hostPorts.get(port.hostPort());
      if (other != null && !other.id.equals(self)) {
        throw new RuntimeFailure(
            Reason.PORT_TAKEN,
            name + ": host port " + port.hostPort() + " is taken by " + other.spec.name(),
            "bind: address already in use");
      }
    }
  }

  /** One workload's mutable state; guarded by the runtime's lock. */
  private final class FakeWorkload {
    final String id;
    final WorkloadSpec spec;
    final List<String> output = new ArrayList<>();
    WorkloadState state = WorkloadState.CREATED;
    Integer exitCode;
    boolean oomKilled;
    java.time.Instant startedAt;

    FakeWorkload(String id, WorkloadSpec spec) {
      this.id = id;
      this.spec = spec;
    }

    void start(Clock clock) {
      state = WorkloadState.RUNNING;
      exitCode = null;
      oomKilled = false;
      startedAt = clock.instant();
      spec.ports().forEach(port -> hostPorts.put(port.hostPort(), this));
    }

    void exit(int code) {
      state = WorkloadState.EXITED;
      exitCode = code;
      spec.ports().forEach(port -> hostPorts.remove(port.hostPort(), this));
    }

    Workload observe() {
      String image = spec.image() != null ? spec.image() : spec.executable();
      return new Workload(
          id,
          spec.name(),
          spec.labels(),
          state,
          exitCode,
          startedAt,
          image,
          spec.ports(),
          spec.kind(),
          oomKilled);
    }

    RuntimeEvent event(RuntimeEvent.Type type, Integer code) {
      return new RuntimeEvent(
          type, id, spec.name(), spec.labels(), spec.kind(), code, clock.instant());
    }
  }
}
