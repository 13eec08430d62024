package dev.berth.bench;

import dev.berth.core.queue.WorkQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed cost the queue adds to every reconcile: one {@code add}, {@code get} and {@code done}
 * on one thread, with no contention and nothing else waiting. Target: at most 300 ns per cycle.
 *
 * <p>The keys rotate over a small set of distinct strings rather than repeating one key: a single
 * key would always hit the same hash bucket with perfectly predicted branches, which no real queue
 * sees. The set is small (64) so that it stays in cache and the figure is the queue's own cost, not
 * cache misses on keys. The queue is empty after every cycle either way, so each {@code add}
 * creates a key's entry and each {@code done} removes it, as in a quiet controller.
 *
 * <p>{@code get} rather than {@code poll}, because it is what a controller's workers call; it does
 * not block here, since the key was just added.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class QueueCycleBenchmark {

  private static final int KEYS = 64; // a power of two, so that rotating is a mask

  @Param({"NONE", "PROMETHEUS"})
  public QueueMetrics metrics;

  private WorkQueue<String> queue;
  private final String[] keys = new String[KEYS];
  private int next;

  @Setup
  public void setUp() {
    queue = metrics.newQueue("bench");
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "default/service-" + i;
      keys[i].hashCode(); // cached from here on, as a long-lived key's would be
    }
  }

  @Benchmark
  public void addGetDone() throws InterruptedException {
    String key = keys[next++ & (KEYS - 1)];
    queue.add(key);
    queue.done(queue.get().orElseThrow());
  }
}
