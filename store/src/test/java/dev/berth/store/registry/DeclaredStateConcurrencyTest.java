package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.DesiredState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers apply, stop and delete services while readers read them from memory. Readers never see a
 * service go back to an older generation, never see half of an apply, and when the writers are done
 * memory holds exactly what the database holds.
 */
class DeclaredStateConcurrencyTest {

  private static final int WRITERS = 4;
  private static final int READERS = 2;
  private static final int WRITES_PER_WRITER = 40;

  @TempDir Path dataDirectory;

  @Test
  void readersSeeOnlyCommittedStateInOrderAndMemoryEndsEqualToTheDatabase() throws Exception {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      ServiceStore services = registry.services();
      AtomicBoolean writing = new AtomicBoolean(true);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
      List<Future<?>> writers = new ArrayList<>();
      List<Future<?>> readers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> write(services, writer, start)));
      }
      for (int r = 0; r < READERS; r++) {
        readers.add(pool.submit(() -> read(services, writing, start)));
      }
      start.countDown();
      for (Future<?> future : writers) {
        future.get(2, TimeUnit.MINUTES);
      }
      writing.set(false);
      for (Future<?> future : readers) {
        future.get(1, TimeUnit.MINUTES);
      }
      pool.shutdown();

      assertThat(services.list()).isEqualTo(services.readAllFromDatabase());
    }
  }

  /**
   * Each writer owns a pair of services it always applies together with the same comment, and a
   * service it stops, starts and deletes.
   */
  private static Void write(ServiceStore services, int writer, CountDownLatch start)
      throws InterruptedException {
    start.await();
    String source = "writer-" + writer;
    for (int i = 0; i < WRITES_PER_WRITER; i++) {
      String comment = source + " write " + i;
      services.apply(
          ApplyRequest.of(
              source,
              List.of(
                  Specs.web("pair-" + writer + "-a").withComment(comment),
                  Specs.web("pair-" + writer + "-b").withComment(comment))));
      String own = "own-" + writer;
      switch (i % 4) {
        case 0 -> services.apply(ApplyRequest.of(source, List.of(Specs.web(own))));
        case 1 -> services.setDesiredState(own, DesiredState.STOPPED, null);
        case 2 -> services.setDesiredState(own, DesiredState.RUNNING, null);
        default -> services.delete(own, null);
      }
    }
    return null;
  }

  private static Void read(ServiceStore services, AtomicBoolean writing, CountDownLatch start)
      throws InterruptedException {
    start.await();
    Map<String, Long> lastSeen = new HashMap<>();
    while (writing.get()) {
      for (int w = 0; w < WRITERS; w++) {
        String name = "pair-" + w + "-a";
        services
            .get(name)
            .ifPresent(
                service -> {
                  long previous = lastSeen.getOrDefault(name, 0L);
                  assertThat(service.generation())
                      .as("%s went back from generation %d", name, previous)
                      .isGreaterThanOrEqualTo(previous);
                  lastSeen.put(name, service.generation());
                });
      }
      Map<String, String> comments = new HashMap<>();
      for (StoredService service : services.list()) {
        comments.put(service.name(), service.spec().comment());
      }
      for (int w = 0; w < WRITERS; w++) {
        assertThat(comments.get("pair-" + w + "-a"))
            .as("both services of one apply, or neither")
            .isEqualTo(comments.get("pair-" + w + "-b"));
      }
      // Leave the writers some CPU on a small machine.
      LockSupport.parkNanos(200_000);
    }
    return null;
  }
}
