package dev.berth.bench;

import dev.berth.core.controller.Controller;
import dev.berth.core.reconcile.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a real change waits when a resync has just queued every key: a controller with {@value
 * #WORKERS} workers, each reconcile taking 1 ms, has a backlog of {@value #BACKLOG} keys from its
 * initial listing ({@code Lane.RESYNC}) when one fresh key is enqueued ({@code Lane.CHANGE}).
 * Target: at most 50 ms. A plain FIFO would make it wait for the whole backlog, 100 000 keys / 4
 * workers x 1 ms = 25 s.
 *
 * <p>The score is the time from {@link Controller#enqueue} until a worker <em>starts</em>
 * reconciling the fresh key, as seen by the benchmark thread: it includes waking that thread up, so
 * it is a slight overestimate. Expect about one reconcile at most (1 ms plus timer slack), the time
 * until the first worker is free.
 *
 * <p>Every invocation gets a new controller and a fresh backlog, started in setup and stopped in
 * teardown, so no worker outlives its invocation and one measurement cannot drain the backlog of
 * the next. Single-shot, because each measurement consumes its setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 100)
@Fork(1)
public class FreshEventLatencyBenchmark {

  static final int BACKLOG = 100_000;
  static final int WORKERS = 4;
  static final long RECONCILE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  static final String FRESH = "default/fresh";

  // Held in a field so that its level sticks (JUL keeps loggers weakly): the controller logs every
  // start and stop at INFO, twice per invocation, which would drown JMH's output.
  private static final Logger BERTH_LOG = Logger.getLogger("dev.berth");

  private List<String> backlog;
  private Controller<String> controller;

  /** Backlog keys whose reconcile has started, to tell when the whole listing is queued. */
  private final AtomicInteger backlogStarted = new AtomicInteger();

  private volatile CountDownLatch freshStarted;
  private volatile int backlogStartedBeforeFresh;

  @Setup(Level.Trial)
  public void listKeys() {
    BERTH_LOG.setLevel(java.util.logging.Level.WARNING);
    List<String> keys = new ArrayList<>(BACKLOG);
    for (int i = 0; i < BACKLOG; i++) {
      keys.add("default/service-" + i);
    }
    backlog = List.copyOf(keys);
  }

  @Setup(Level.Invocation)
  public void startBehindBacklog() throws InterruptedException {
    backlogStarted.set(0);
    freshStarted = new CountDownLatch(1);
    controller =
        Controller.builder("bench", this::reconcile)
            .workers(WORKERS)
            .keyLister(() -> backlog)
            .build();
    controller.start();
    // The controller adds its first listing on its own thread; a key is either still waiting or
    // started, so once the two add up to the backlog, all of it has been queued.
    while (controller.health().queueDepth() + backlogStarted.get() < BACKLOG) {
      Thread.sleep(1);
    }
    // Events arrive at any moment of the workers' 1 ms cycle; without this, the 1 ms polling above
    // could fall into step with the workers and always enqueue at the same point of their cycle.
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(RECONCILE_NANOS));
  }

  @Benchmark
  public void freshKeyStarts() throws InterruptedException {
    controller.enqueue(FRESH);
    if (!freshStarted.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the fresh key did not start within 60 s");
    }
  }

  @TearDown(Level.Invocation)
  public void stop() {
    if (!controller.stop(Duration.ofSeconds(10))) {
      throw new IllegalStateException("workers still busy 10 s after stop");
    }
    // A guard on what is measured: a fresh key that had queued behind the backlog would be slow
    // anyway, but this says why.
    if (backlogStartedBeforeFresh > BACKLOG / 10) {
      throw new IllegalStateException(
          backlogStartedBeforeFresh + " backlog keys started before the fresh one");
    }
  }

  /**
   * Checks that the controllers really stopped: the workers and the resync thread are named after
   * the controller. (The clock's shared timer thread belongs to the JVM, not to a controller.)
   */
  @TearDown(Level.Trial)
  public void checkNoThreadLeft() throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("berth-bench-")) {
        thread.join(5_000);
        if (thread.isAlive()) {
          throw new IllegalStateException(thread.getName() + " outlived its controller");
        }
      }
    }
  }

  private Result reconcile(String key) {
    if (key.equals(FRESH)) {
      backlogStartedBeforeFresh = backlogStarted.get();
      freshStarted.countDown();
    } else {
      backlogStarted.incrementAndGet();
    }
    LockSupport.parkNanos(RECONCILE_NANOS); // a reconcile waiting 1 ms on I/O
    return Result.done();
  }
}
