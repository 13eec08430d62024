package dev.berth.testkit;

import dev.berth.core.controller.Controller;
import dev.berth.core.controller.ControllerHealth;
import dev.berth.core.queue.WorkQueue;
import dev.berth.core.time.ManualClock;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.time.WallClock;
import dev.berth.runtime.Workload;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Berth's loops on a fake runtime, a throwaway registry and a manual clock, for tests of
 * reconcilers (Berth's or an embedder's) in a few lines:
 *
 * <pre>{@code
 * try (BerthTestKit kit = BerthTestKit.start()) {
 *   kit.declare(ServiceSpec.of("shop", ComponentSpec.container("web", "localhost/web:1")));
 *   kit.converge();
 *   assertThat(kit.workload("shop", "web")).hasValueSatisfying(w -> assertThat(w.running()).isTrue());
 * }
 * }</pre>
 *
 * <p>Time only moves when {@link #converge()} or {@link #advance(Duration)} moves it: backoffs,
 * crash-loop waits and boot-stage timeouts take no real time, and runs are repeatable. Status and
 * events are written before a reconcile returns, so they can be asserted at once.
 *
 * <p>Loops of the embedder's own run beside Berth's, on the same manager and clock, and {@link
 * #convergeUntilIdle()} runs them all until none has anything left to do:
 *
 * <pre>{@code
 * try (BerthTestKit kit =
 *     BerthTestKit.start(
 *         node ->
 *             node.controller(
 *                 Controller.builder("quotas", new QuotaReconciler(store)).keyLister(store::names),
 *                 quotas -> store.onChange(quotas::enqueue)))) {
 *   store.put("team-a", 3);
 *   kit.convergeUntilIdle();
 *   ...
 * }
 * }</pre>
 *
 * <p>The kit needs no test framework: its failures are {@link AssertionError}s, which every one
 * reports. {@link BerthExtension} is its JUnit 5 extension, for tests that have JUnit Jupiter
 * already (the kit's pom declares it optional, so it never chooses a JUnit version for them).
 */
public final class BerthTestKit implements AutoCloseable {

  /** Where the kit's wall clock starts, so timestamps in status are the same on every run. */
  public static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

  /** How long {@link #converge()} lets time pass, at most, before it gives up. */
  public static final Duration CONVERGE_LIMIT = Duration.ofHours(1);

  /**
   * {@link #convergeUntilIdle()}'s window: a key due back later than this (a periodic requeue, a
   * long backoff) does not keep the loops from being idle.
   */
  public static final Duration IDLE_WINDOW = Duration.ofMinutes(10);

  /** How many times {@link #convergeUntilIdle()} moves the clock, at most, before it gives up. */
  public static final int IDLE_MAX_STEPS = 1_000;

  private final Path data;
  private final Registry registry;
  private final FakeRuntime runtime;
  private final ManualClock clock;
  private final BerthNode node;

  private BerthTestKit(Consumer<BerthNode.Builder> customize) {
    try {
      data = Files.createTempDirectory("berth-testkit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry = Registry.open(RegistryConfig.at(data));
    clock = new ManualClock();
    runtime =
        new FakeRuntime(
            "fake",
            java.util.Set.of(dev.berth.runtime.WorkloadKind.values()),
            0,
            WallClock.of(clock, EPOCH));
    BerthNode.Builder builder =
        BerthNode.builder(registry, runtime)
            .clock(clock)
            .wallClock(WallClock.of(clock, EPOCH))
            .statusFlushInterval(Duration.ZERO)
            .workers(2);
    customize.accept(builder);
    node = builder.build();
    node.start();
  }

  /** A kit with Berth's default loops. */
  public static BerthTestKit start() {
    return new BerthTestKit(b -> {});
  }

  /** A kit whose node is configured further (stages, a registrar, a backoff) before it starts. */
  public static BerthTestKit start(Consumer<BerthNode.Builder> customize) {
    return new BerthTestKit(customize);
  }

  /**
   * The fake runtime the node runs its workloads on: set its images, faults and latencies through
   * it.
   */
  public FakeRuntime runtime() {
    return runtime;
  }

  /** The registry of the node, in a temporary directory deleted when the kit is closed. */
  public Registry registry() {
    return registry;
  }

  /** The engine clock of the node, which moves only when the kit or the test moves it. */
  public ManualClock clock() {
    return clock;
  }

  /** The node under test, started. */
  public BerthNode node() {
    return node;
  }

  /**
   * Declares services as an apply would, putting their images on the fake node first (an image a
   * test wants missing can be removed with {@code runtime().removeImage}).
   */
  public BerthTestKit declare(ServiceSpec... services) {
    for (ServiceSpec service : services) {
      service.components().stream()
          .filter(c -> c.image() != null)
          .forEach(c -> runtime.addImage(c.image()));
    }
    registry.services().apply(ApplyRequest.of("testkit", List.of(services)));
    return this;
  }

  /**
   * Runs the loops until nothing is queued or in flight, moving the clock to each pending retry or
   * requeue in turn.
   *
   * @throws AssertionError if it has not settled after {@link #CONVERGE_LIMIT} of clock time
   */
  public BerthTestKit converge() {
    Duration passed = Duration.ZERO;
    while (true) {
      awaitIdle();
      ControllerHealth services = services();
      if (settled(services)) {
        // A key released by a gate moves from held to queued on another thread: a snapshot can
        // catch it in neither. Settled twice, a few milliseconds apart, is settled.
        awaitIdle();
        if (settled(services())) {
          return this;
        }
        continue;
      }
      Duration step =
          clock.pendingTimers().stream()
              .min(Comparator.naturalOrder())
              .orElse(Duration.ofMillis(1));
      if (step.isZero() || step.isNegative()) {
        step = Duration.ofMillis(1);
      }
      clock.advance(step);
      passed = passed.plus(step);
      if (passed.compareTo(CONVERGE_LIMIT) > 0) {
        throw new AssertionError(
            "not converged after " + CONVERGE_LIMIT + " of clock time: " + services());
      }
    }
  }

  /**
   * Runs every loop, Berth's and the embedder's, until all are idle, with {@link #IDLE_WINDOW} and
   * {@link #IDLE_MAX_STEPS}.
   *
   * @throws AssertionError naming the keys still pending if they are not idle in time
   */
  public BerthTestKit convergeUntilIdle() {
    return convergeUntilIdle(IDLE_WINDOW, IDLE_MAX_STEPS);
  }

  /**
   * Runs every loop, Berth's and the embedder's, until all are idle: no key waits or is being
   * reconciled or held by a gate, and none is due back within {@code window} of clock time. Until
   * then the clock moves to the next key due (or, with only held keys, to the next timer), at most
   * {@code maxSteps} times.
   *
   * @throws AssertionError naming, per loop, the keys still waiting, in flight, held or due back,
   *     if the loops are not idle after {@code maxSteps} moves of the clock
   */
  public BerthTestKit convergeUntilIdle(Duration window, int maxSteps) {
    Objects.requireNonNull(window, "window");
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
    }
    for (int step = 0; ; step++) {
      awaitIdle();
      Duration next = null;
      boolean held = false;
      for (Controller<?> loop : node.controllers()) {
        WorkQueue.Pending<?> pending = loop.pending();
        if (!pending.idle()) {
          next = Duration.ZERO; // it was queued after the wait: just look again
        }
        held |= !loop.held().isEmpty();
        for (Duration due : pending.delayed().values()) {
          if (due.compareTo(window) <= 0 && (next == null || due.compareTo(next) < 0)) {
            next = due;
          }
        }
      }
      if (next == null && held) {
        next = clock.pendingTimers().stream().min(Comparator.naturalOrder()).orElse(null);
      }
      if (next == null) {
        return this;
      }
      if (step >= maxSteps) {
        throw new AssertionError(
            "the loops were not idle after "
                + maxSteps
                + " moves of the clock (window "
                + window
                + "); still pending: "
                + describePending(window));
      }
      clock.advance(next.isNegative() || next.isZero() ? Duration.ofMillis(1) : next);
    }
  }

  /** Per loop, the keys that keep it from being idle. */
  private String describePending(Duration window) {
    List<String> loops = new ArrayList<>();
    for (Controller<?> loop : node.controllers()) {
      WorkQueue.Pending<?> pending = loop.pending();
      List<String> parts = new ArrayList<>();
      if (!pending.waiting().isEmpty()) {
        parts.add("queued " + pending.waiting());
      }
      if (!pending.processing().isEmpty()) {
        parts.add("in flight " + pending.processing());
      }
      if (!loop.held().isEmpty()) {
        parts.add("held " + loop.held().keySet());
      }
      List<String> due = new ArrayList<>();
      pending
          .delayed()
          .forEach(
              (key, in) -> {
                if (in.compareTo(window) <= 0) {
                  due.add(key + " in " + in);
                }
              });
      if (!due.isEmpty()) {
        parts.add("due back " + due);
      }
      if (!parts.isEmpty()) {
        loops.add(loop.name() + ": " + String.join(", ", parts));
      }
    }
    return loops.isEmpty() ? "nothing (it settled just now)" : String.join("; ", loops);
  }

  /** Moves the clock by {@code amount} and lets whatever became due run. */
  public BerthTestKit advance(Duration amount) {
    clock.advance(amount);
    awaitIdle();
    return this;
  }

  /** Every workload on the fake node. */
  public List<Workload> workloads() {
    return runtime.list();
  }

  /** The workload of one component, if there is one. */
  public Optional<Workload> workload(String service, String component) {
    return runtime.list().stream()
        .filter(w -> service.equals(w.service()) && component.equals(w.component()))
        .findFirst();
  }

  /** The latest stored status of each component of {@code service}. */
  public List<ComponentStatus> status(String service) {
    return registry.status().of(service);
  }

  /** The events of {@code service}'s history that the registry keeps, oldest first. */
  public List<ServiceEvent> events(String service) {
    return registry.events().of(service);
  }

  private static boolean settled(ControllerHealth services) {
    return services.delayedKeys() == 0
        && services.heldKeys() == 0
        && services.queueDepth() == 0
        && services.inFlight() == 0;
  }

  private ControllerHealth services() {
    return node.health().stream()
        .filter(h -> h.controller().equals("services"))
        .findFirst()
        .orElseThrow();
  }

  /** Waits (in real time, briefly) until the worker threads have nothing ready to do. */
  private void awaitIdle() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int quiet = 0;
    while (quiet < 3) {
      boolean idle = node.health().stream().allMatch(h -> h.queueDepth() == 0 && h.inFlight() == 0);
      quiet = idle ? quiet + 1 : 0;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the loops did not settle within 30 s: " + node.health());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    node.stop(Duration.ofSeconds(10));
    registry.close();
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
