package dev.berth.bench;

import static dev.berth.bench.FreshEventLatencyBenchmark.BACKLOG;
import static dev.berth.bench.FreshEventLatencyBenchmark.FRESH;
import static dev.berth.bench.FreshEventLatencyBenchmark.RECONCILE_NANOS;
import static dev.berth.bench.FreshEventLatencyBenchmark.WORKERS;

import dev.berth.core.controller.Controller;
import dev.berth.core.reconcile.Result;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Where the worst cases of {@link FreshEventLatencyBenchmark} come from. It runs the benchmark's
 * measurement RUNS times (same controller, backlog and 1 ms reconciles), alternating each run with
 * a floor: {@value FreshEventLatencyBenchmark#WORKERS} bare threads parking 1 ms in a loop, the
 * first to wake after the "enqueue" signalling the waiting thread. The floor has no queue and no
 * controller, only the two thread wake-ups every measurement has: a worker finishing its 1 ms, then
 * the measuring thread. Side by side in one run, the two see the same load.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.berth.bench.FreshEventLatencyBreakdown [RUNS=200]
 * }</pre>
 *
 * <p>For each measurement it splits the time into: until the fresh key's reconcile started (the
 * queue's part: a worker must first finish its reconcile; "due" is when the first of them was due
 * to), and from then until the measuring thread woke. Beside that, what happened in the window: how
 * long the workers and the measuring thread waited, runnable, for a core (Linux schedstat), garbage
 * collections, and JIT compilation time.
 */
public final class FreshEventLatencyBreakdown {

  private static final Logger BERTH_LOG = Logger.getLogger("dev.berth");
  private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** One measurement. Times in nanoseconds. */
  record Sample(
      String kind,
      long total,
      long untilStart,
      long wake,
      long due,
      long workersWaitedForCore,
      long measurerWaitedForCore,
      long collections,
      long compileMillis) {}

  private final long[] reconcileDue = new long[WORKERS];
  private volatile long freshStartedAt;
  private volatile CountDownLatch freshStarted;
  private final AtomicInteger backlogStarted = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    BERTH_LOG.setLevel(java.util.logging.Level.WARNING);
    Thread.currentThread().setName("fresh-measurer");
    new FreshEventLatencyBreakdown().run(runs);
  }

  private void run(int runs) throws Exception {
    List<String> backlog = new ArrayList<>(BACKLOG);
    for (int i = 0; i < BACKLOG; i++) {
      backlog.add("default/service-" + i);
    }
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      samples.add(berth(backlog));
      samples.add(floor());
    }
    System.out.printf(
        "%d runs each, %d cores, %s; times in ms%n",
        runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    for (String kind : List.of("berth", "floor")) {
      List<Sample> of = samples.stream().filter(s -> s.kind().equals(kind)).toList();
      long[] totals = of.stream().mapToLong(Sample::total).sorted().toArray();
      System.out.printf(
          "%-5s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  over 5 ms: %d; with a GC in the window: %d%n",
          kind,
          ms(percentile(totals, 50)),
          ms(percentile(totals, 90)),
          ms(percentile(totals, 99)),
          ms(totals[totals.length - 1]),
          Arrays.stream(totals).filter(t -> t > SLOW_NANOS).count(),
          of.stream().filter(s -> s.collections() > 0).count());
    }
    System.out.println(
        "slowest: kind total = until-start (due) + wake | workers waited for a core, measurer"
            + " waited | GCs, JIT ms");
    samples.stream()
        .sorted(Comparator.comparingLong(Sample::total).reversed())
        .limit(10)
        .forEach(
            s ->
                System.out.printf(
                    "  %-5s %.2f = %.2f (%.2f) + %.2f | %.2f, %.2f | %d, %d%n",
                    s.kind(),
                    ms(s.total()),
                    ms(s.untilStart()),
                    ms(s.due()),
                    ms(s.wake()),
                    ms(s.workersWaitedForCore()),
                    ms(s.measurerWaitedForCore()),
                    s.collections(),
                    s.compileMillis()));
  }

  /** The benchmark's measurement, once. */
  private Sample berth(List<String> backlog) throws InterruptedException {
    backlogStarted.set(0);
    freshStarted = new CountDownLatch(1);
    Controller<String> controller =
        Controller.builder("fresh", this::reconcile)
            .workers(WORKERS)
            .keyLister(() -> backlog)
            .build();
    controller.start();
    try {
      while (controller.health().queueDepth() + backlogStarted.get() < BACKLOG) {
        Thread.sleep(1);
      }
      return measure("berth", "berth-fresh-worker", () -> controller.enqueue(FRESH));
    } finally {
      controller.stop(Duration.ofSeconds(10));
    }
  }

  private Result reconcile(String key) {
    if (key.equals(FRESH)) {
      freshStartedAt = System.nanoTime();
      freshStarted.countDown();
    } else {
      backlogStarted.incrementAndGet();
    }
    String name = Thread.currentThread().getName();
    long now = System.nanoTime();
    reconcileDue[name.charAt(name.length() - 1) - '0'] = now + RECONCILE_NANOS;
    LockSupport.parkNanos(RECONCILE_NANOS);
    return Result.done();
  }

  /** The same two wake-ups with no queue: the first bare thread to wake takes the "key". */
  private Sample floor() throws InterruptedException {
    freshStarted = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      int index = i;
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  if (armed.compareAndSet(true, false)) {
                    freshStartedAt = System.nanoTime();
                    freshStarted.countDown();
                  }
                  reconcileDue[index] = System.nanoTime() + RECONCILE_NANOS;
                  LockSupport.parkNanos(RECONCILE_NANOS);
                }
              },
              "floor-worker-" + i);
      threads.add(thread);
      thread.start();
    }
    try {
      Thread.sleep(5);
      return measure("floor", "floor-worker", () -> armed.set(true));
    } finally {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }

  private Sample measure(String kind, String workers, Runnable enqueue)
      throws InterruptedException {
    // At a random point of the workers' 1 ms cycle, as events arrive.
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(RECONCILE_NANOS));
    long workersWaited = RunQueueWait.nanos(workers);
    long measurerWaited = RunQueueWait.nanos("fresh-measurer");
    long collections = collections();
    long compiled = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    long enqueued = System.nanoTime();
    long due = Long.MAX_VALUE;
    for (long at : reconcileDue) {
      due = Math.min(due, at - enqueued);
    }
    enqueue.run();
    if (!freshStarted.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the fresh key did not start within 60 s");
    }
    long woke = System.nanoTime();
    return new Sample(
        kind,
        woke - enqueued,
        freshStartedAt - enqueued,
        woke - freshStartedAt,
        Math.max(0, due),
        RunQueueWait.nanos(workers) - workersWaited,
        RunQueueWait.nanos("fresh-measurer") - measurerWaited,
        collections() - collections,
        ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiled);
  }

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += collector.getCollectionCount();
    }
    return count;
  }

  private static long percentile(long[] sorted, int percent) {
    return sorted[
        Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
