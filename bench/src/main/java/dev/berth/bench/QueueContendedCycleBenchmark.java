package dev.berth.bench;

import dev.berth.core.queue.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The add, get and done cycle of {@link QueueCycleBenchmark} with {@value #PRODUCERS} threads
 * adding and {@value #WORKERS} worker threads taking keys with the blocking {@code get}, as a
 * controller's workers do. The score is completed cycles (a {@code done}) per second.
 *
 * <p>Each invocation releases the producers on a batch of {@value #BATCH} distinct keys, which they
 * add between them, and returns when the workers have marked every one of them done. Distinct keys
 * mean no add collapses into another, so every add is exactly one cycle. JMH's {@code @Group} does
 * not fit: it needs every thread to return from each call, and a worker blocked in {@code get}
 * would hang at the end of an iteration; workers spinning on {@code poll} instead would, on few
 * cores, mostly measure how much CPU they steal from the producers.
 *
 * <p>What the figure means depends on the machine: with 8 busy threads on 2 cores (the machine of
 * the README's figures) the threads mostly take turns, so this measures the queue's lock under
 * contention plus the cost of parking and waking workers, not how the queue scales with cores. Read
 * it as the cycles per second one queue can sustain when fed and drained from many threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1) // the benchmark thread only coordinates; the 8 threads below do the work
public class QueueContendedCycleBenchmark {

  static final int PRODUCERS = 4;
  static final int WORKERS = 4;
  static final int BATCH = 100_000;

  @Param({"NONE", "PROMETHEUS"})
  public QueueMetrics metrics;

  private WorkQueue<String> queue;
  private final String[] keys = new String[BATCH];
  private final List<Thread> producers = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();

  /** The benchmark thread and every producer meet here to start a batch. */
  private final CyclicBarrier start = new CyclicBarrier(PRODUCERS + 1);

  /** Cycles of this batch not yet done: one more shared write per cycle, small beside the lock. */
  private final AtomicInteger remaining = new AtomicInteger();

  private volatile CountDownLatch batchDone;

  @Setup
  public void setUp() {
    queue = metrics.newQueue("bench");
    for (int i = 0; i < BATCH; i++) {
      keys[i] = "default/service-" + i;
    }
    for (int p = 0; p < PRODUCERS; p++) {
      int first = p;
      producers.add(new Thread(() -> produce(first), "bench-producer-" + p));
    }
    for (int w = 0; w < WORKERS; w++) {
      workers.add(new Thread(this::work, "bench-worker-" + w));
    }
    List<Thread> all = new ArrayList<>(producers);
    all.addAll(workers);
    for (Thread thread : all) {
      thread.setDaemon(true); // should tearDown fail, the forked JVM can still exit
      thread.start();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void addGetDone() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    batchDone = done;
    remaining.set(BATCH);
    start.await();
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("batch not done after 60 s: " + queue);
    }
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    // An interrupt rather than breaking the barrier: a producer that has not reached the barrier
    // yet would wait forever on a reset one, but its interrupt status waits for it.
    producers.forEach(Thread::interrupt);
    queue.shutDown(); // wakes the workers: get returns empty
    List<Thread> all = new ArrayList<>(producers);
    all.addAll(workers);
    for (Thread thread : all) {
      thread.join(10_000);
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
  }

  /** Adds every {@value #PRODUCERS}th key of the batch, starting at {@code first}, per batch. */
  private void produce(int first) {
    try {
      while (true) {
        start.await();
        for (int i = first; i < BATCH; i += PRODUCERS) {
          queue.add(keys[i]);
        }
      }
    } catch (InterruptedException | BrokenBarrierException stopped) {
      // tearDown interrupted us: the trial is over.
    }
  }

  private void work() {
    try {
      while (true) {
        Optional<String> key = queue.get();
        if (key.isEmpty()) {
          return;
        }
        queue.done(key.get());
        if (remaining.decrementAndGet() == 0) {
          batchDone.countDown();
        }
      }
    } catch (InterruptedException stopped) {
      // Nothing interrupts the workers; shutDown is how they stop.
    }
  }
}
