package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 threads read, change and write back the same few services, each write carrying the generation
 * it read. Every write either wins (and bumps the generation by exactly one) or gets a conflict;
 * none is lost and none is applied twice.
 */
class ConcurrentApplyTest {

  private static final int THREADS = 32;
  private static final int WRITES_PER_THREAD = 25;
  private static final List<String> SERVICES = List.of("a", "b", "c", "d");

  @TempDir Path dataDirectory;

  @Test
  void conflictingWritersLoseWithAConflictAndNoUpdateIsLost() throws Exception {
    Map<String, Map<Long, String>> winsByGeneration = new ConcurrentHashMap<>();
    AtomicInteger conflicts = new AtomicInteger();
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry
          .services()
          .apply(ApplyRequest.of("test", SERVICES.stream().map(Specs::web).toList()));
      SERVICES.forEach(s -> winsByGeneration.put(s, new ConcurrentHashMap<>()));
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    String name = SERVICES.get((thread + i) % SERVICES.size());
                    StoredService read = registry.services().get(name).orElseThrow();
                    String comment = "thread " + thread + " write " + i;
                    ServiceSpec changed = read.spec().withComment(comment);
                    try {
                      long generation =
                          registry
                              .services()
                              .apply(
                                  ApplyRequest.of("test", List.of(changed))
                                      .expecting(name, read.generation()))
                              .of(name)
                              .generation();
                      String previous = winsByGeneration.get(name).putIfAbsent(generation, comment);
                      assertThat(previous).as("two writers won generation %d", generation).isNull();
                    } catch (ConflictException lost) {
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get();
      }
      pool.shutdown();

      for (String name : SERVICES) {
        StoredService stored = registry.services().get(name).orElseThrow();
        Map<Long, String> wins = winsByGeneration.get(name);
        assertThat(stored.generation())
            .as("%s: one generation per winning write, after the first apply", name)
            .isEqualTo(1 + wins.size());
        assertThat(stored.spec().comment())
            .as("%s holds the last winner's write", name)
            .isEqualTo(wins.get(stored.generation()));
      }
      assertThat(conflicts.get()).as("losers got the conflict error").isPositive();
      int wins = winsByGeneration.values().stream().mapToInt(Map::size).sum();
      assertThat(wins + conflicts.get()).isEqualTo(THREADS * WRITES_PER_THREAD);
    }
  }
}
