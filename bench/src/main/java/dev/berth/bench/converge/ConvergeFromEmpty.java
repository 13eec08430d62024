package dev.berth.bench.converge;

import dev.berth.core.controller.ControllerHealth;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * End-to-end: SERVICES services of 3 components are applied in one apply, a node's loops converge
 * them on the fake runtime from empty, then do a no-op resync of all of them. The registry is a
 * real one on disk.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.berth.bench.converge.ConvergeFromEmpty [SERVICES=10000] [WORKERS=4] [ROUNDS=3]
 * }</pre>
 *
 * <p>Converged means every workload runs (counted from the runtime's events) and the service loop
 * has nothing queued or in flight. The status lag is the time from the last workload's start until
 * every service's status (every component running, Ready true) is readable in the registry, as an
 * operator's {@code berth status} would read it. The no-op resync enqueues every declared service,
 * as the periodic resync does, and ends when the loop is idle again; it must make no runtime call
 * that changes anything.
 */
public final class ConvergeFromEmpty {

  static final String IMAGE = "localhost/app:1.0";

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(
        "%d services x 3 components, %d workers, %d cores, %s%n",
        services,
        workers,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    for (int round = 1; round <= rounds; round++) {
      run(round, services, workers);
    }
  }

  static void run(int round, int count, int workers) throws Exception {
    Path data = Files.createTempDirectory("berth-converge");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      List<ServiceSpec> specs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        specs.add(
            ServiceSpec.of(
                "svc-" + i,
                ComponentSpec.container("web", IMAGE),
                ComponentSpec.container("api", IMAGE),
                ComponentSpec.container("db", IMAGE)));
      }
      long applyStarted = System.nanoTime();
      long applyCpu = cpuNanos();
      registry.services().apply(ApplyRequest.of("bench", specs));
      long applied = System.nanoTime();
      applyCpu = cpuNanos() - applyCpu;
      FakeRuntime runtime =
          new FakeRuntime("fake", Set.of(WorkloadKind.values()), 0, java.time.Clock.systemUTC());
      runtime.addImage(IMAGE);
      BerthNode node =
          BerthNode.builder(registry, runtime)
              .workers(workers)
              .relistPeriod(Duration.ofHours(1))
              .resyncPeriod(Duration.ofHours(1))
              .build();
      Starts starts = new Starts();
      AutoCloseable watch = runtime.watch(starts);
      long started = System.nanoTime();
      long convergeCpu = cpuNanos();
      node.start();
      int expected = count * 3;
      // Counted from the runtime's events, never by listing it: list() copies every workload under
      // the fake runtime's lock, which every run() also needs; polled every 5 ms it slowed the
      // workers it was measuring, more the more workloads there were.
      while (starts.count() < expected || !idle(node)) {
        Thread.sleep(5);
      }
      long converged = System.nanoTime();
      convergeCpu = cpuNanos() - convergeCpu;
      watch.close();
      long lastStarted = starts.lastNanos();
      // The last service's status first, polled often; then every service's, more coarsely.
      long statusWritten = awaitStatus(registry, starts.lastService());
      int missing = servicesWithoutStatus(registry);
      if (missing > 0) {
        while (servicesWithoutStatus(registry) > 0) {
          Thread.sleep(10);
        }
        statusWritten = System.nanoTime(); // an upper bound: the end of the check that passed
      }
      if (running(runtime) != expected) {
        throw new IllegalStateException("not every workload runs after convergence");
      }
      int runs = runtime.calls(FakeRuntime.Operation.RUN);

      // What the periodic resync does: every declared service enqueued in the resync's place. (Not
      // recover(), which also relists the node: a different, heavier operation.)
      List<String> names = registry.services().names();
      long resyncStarted = System.nanoTime();
      long resyncCpu = cpuNanos();
      for (String name : names) {
        node.serviceLoop().enqueue(name);
      }
      // Poll gently: on 2 cores a spinning poller would take a core from the workers.
      while (!idle(node)) {
        Thread.sleep(1);
      }
      long resynced = System.nanoTime();
      resyncCpu = cpuNanos() - resyncCpu;
      int changes =
          runtime.calls(FakeRuntime.Operation.RUN)
              + runtime.calls(FakeRuntime.Operation.START)
              + runtime.calls(FakeRuntime.Operation.STOP)
              + runtime.calls(FakeRuntime.Operation.REMOVE)
              - runs;
      System.out.printf(
          "round %d: applied in one apply in %d ms (CPU %.1f µs per service); converged from"
              + " empty in %d ms (%.1f µs per service, CPU %.1f µs per service, %d runs); status"
              + " lag %d ms (last workload started -> every service's status and conditions in the"
              + " registry; %d services still without them when the last one's were there); no-op"
              + " resync of %d services in %d ms (%.2f µs per service, CPU %.2f µs per service, %d"
              + " changing runtime calls)%n",
          round,
          Duration.ofNanos(applied - applyStarted).toMillis(),
          applyCpu / 1e3 / count,
          Duration.ofNanos(converged - started).toMillis(),
          (converged - started) / 1e3 / count,
          convergeCpu / 1e3 / count,
          runs,
          Duration.ofNanos(statusWritten - lastStarted).toMillis(),
          missing,
          count,
          Duration.ofNanos(resynced - resyncStarted).toMillis(),
          (resynced - resyncStarted) / 1e3 / count,
          resyncCpu / 1e3 / count,
          changes);
      node.stop(Duration.ofSeconds(30));
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("cannot clean " + data + ": " + e);
      }
    }
  }

  /**
   * Waits until the registry shows {@code service} as converged: every component's status running
   * and its Ready condition true. Polls every 10 ms (each poll is two reads): more often, the
   * poller takes a noticeable share of two cores from the writer it waits for.
   *
   * @return when it first did (System.nanoTime)
   */
  static long awaitStatus(Registry registry, String service) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!statusShown(registry, service)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the status of " + service + " was not written in 5 min");
      }
      Thread.sleep(10);
    }
    return System.nanoTime();
  }

  static boolean statusShown(Registry registry, String service) {
    List<ComponentStatus> statuses = registry.status().of(service);
    List<Condition> ready =
        registry.status().conditions(service).stream()
            .filter(c -> c.type().equals("Ready") && c.status() == Condition.Status.TRUE)
            .toList();
    return statuses.size() == 3
        && statuses.stream().allMatch(s -> s.state().equals("running"))
        && ready.size() == 3;
  }

  /** How many services the registry does not show as converged (after the timed part). */
  static int servicesWithoutStatus(Registry registry) {
    int missing = 0;
    for (String name : registry.services().names()) {
      if (!statusShown(registry, name)) {
        missing++;
      }
    }
    return missing;
  }

  /**
   * CPU time of the whole JVM so far (every thread, the collector and the compiler included): on a
   * shared machine the elapsed time depends on the load; this much less.
   */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** One list at the end, to check what the events counted. */
  static long running(FakeRuntime runtime) {
    return runtime.list().stream().filter(Workload::running).count();
  }

  static boolean idle(BerthNode node) {
    for (ControllerHealth health : node.health()) {
      if (health.controller().equals("services")
          && (health.queueDepth() > 0 || health.inFlight() > 0)) {
        return false;
      }
    }
    return true;
  }

  /** Counts the runtime's STARTED events, and remembers the last one's time and service. */
  static final class Starts implements Consumer<RuntimeEvent> {
    private final AtomicInteger count = new AtomicInteger();
    // Guarded by this.
    private long lastNanos;
    private String lastService;

    @Override
    public void accept(RuntimeEvent event) {
      if (event.type() == RuntimeEvent.Type.STARTED) {
        synchronized (this) {
          lastNanos = System.nanoTime();
          lastService = event.labels().get(Labels.SERVICE);
        }
        count.incrementAndGet();
      }
    }

    int count() {
      return count.get();
    }

    synchronized long lastNanos() {
      return lastNanos;
    }

    synchronized String lastService() {
      return lastService;
    }
  }
}
