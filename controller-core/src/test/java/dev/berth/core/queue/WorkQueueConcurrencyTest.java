package dev.berth.core.queue;

import static dev.berth.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The two promises that make a work queue safe to build controllers on, under real contention: no
 * key is ever processed by two workers at once, and every key is processed at least once after its
 * last add.
 *
 * <p>How the second one is checked: a producer bumps the key's version <em>before</em> adding it; a
 * worker reads the version when it starts processing. The queue promises a processing that starts
 * after the add, so at quiescence the last version seen must equal the last version bumped.
 */
class WorkQueueConcurrencyTest {

  private static final int WORKERS = 8;
  private static final int PRODUCERS = 4;
  private static final int ADDS = 100_000;
  private static final int KEYS = 1_000;

  private final WorkQueue<Integer> queue = WorkQueue.<Integer>builder("concurrency").build();
  private final AtomicLongArray addedVersion = new AtomicLongArray(KEYS);
  private final AtomicLongArray seenVersion = new AtomicLongArray(KEYS);
  private final AtomicLongArray inFlight = new AtomicLongArray(KEYS);
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicLong processed = new AtomicLong();

  @Test
  void noKeyIsProcessedTwiceAtOnceAndEveryKeyIsProcessedAfterItsLastAdd() throws Exception {
    List<Thread> workers = startWorkers();
    List<Thread> producers = startProducers();
    for (Thread producer : producers) {
      producer.join();
    }

    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        IntStream.range(0, KEYS)
                            .filter(key -> seenVersion.get(key) != addedVersion.get(key))
                            .boxed())
                    .as("keys not processed since their last add")
                    .isEmpty());
    assertThat(queue.shutDownWithDrain(Duration.ofSeconds(30))).isTrue();
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(overlaps.get()).as("times a key was processed by two workers at once").isZero();
    long totalAdds = IntStream.range(0, KEYS).mapToLong(addedVersion::get).sum();
    assertThat(totalAdds).isEqualTo(ADDS);
    assertThat(processed.get()).isBetween((long) KEYS, (long) ADDS);
  }

  private List<Thread> startProducers() {
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      SplittableRandom random = new SplittableRandom(p);
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < ADDS / PRODUCERS; i++) {
                  int key = random.nextInt(KEYS);
                  addedVersion.incrementAndGet(key);
                  queue.add(key, random.nextInt(4) == 0 ? Lane.CHANGE : Lane.RESYNC);
                }
              },
              "producer-" + p);
      producers.add(producer);
      producer.start();
    }
    return producers;
  }

  private List<Thread> startWorkers() {
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      Thread worker = new Thread(this::work, "worker-" + w);
      workers.add(worker);
      worker.start();
    }
    return workers;
  }

  private void work() {
    try {
      for (Optional<Integer> next = queue.get(); next.isPresent(); next = queue.get()) {
        int key = next.get();
        if (inFlight.incrementAndGet(key) != 1) {
          overlaps.incrementAndGet();
        }
        seenVersion.accumulateAndGet(key, addedVersion.get(key), Math::max);
        Thread.yield(); // widen the window in which a second worker could wrongly get the key
        processed.incrementAndGet();
        inFlight.decrementAndGet(key);
        queue.done(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
