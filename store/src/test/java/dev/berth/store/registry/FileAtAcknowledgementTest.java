package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Phaser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At the moment an apply is acknowledged, the registry file holds it, also while other threads
 * write observed state: after each acknowledged apply (with the other writers done, so that nothing
 * written later can make up for it) the file is copied, which is all a kill -9 at that instant
 * leaves, and the copy is opened. It runs for longer than H2's retention of old chunks (45 s): from
 * then on H2 writes into the space of old chunks, where H2 2.5.x lost acknowledged commits (the
 * first after 44 s, then one in two).
 */
class FileAtAcknowledgementTest {

  /** H2 keeps old chunks 45 s before it reuses their space: run past that. */
  private static final Duration RUN = Duration.ofSeconds(60);

  private static final int OBSERVERS = 3;
  private static final int WRITES_PER_ROUND = 3;

  @TempDir Path dataDirectory;
  @TempDir Path copies;

  @Test
  void theFileHoldsEveryApplyWhenItIsAcknowledgedBesideObservedStateWriters() throws Exception {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry
          .services()
          .apply(ApplyRequest.of("ack", List.of(Specs.web("a").withComment("0"), Specs.web("b"))));
      Phaser round = new Phaser(1 + OBSERVERS);
      for (int i = 0; i < OBSERVERS; i++) {
        startObserver(registry, round, i);
      }
      long deadline = System.nanoTime() + RUN.toNanos();
      int applies = 0;
      try {
        while (System.nanoTime() < deadline) {
          String comment = Integer.toString(++applies);
          round.arriveAndAwaitAdvance();
          registry
              .services()
              .apply(ApplyRequest.of("ack", List.of(Specs.web("a").withComment(comment))));
          round.arriveAndAwaitAdvance(); // the observers' writes of this round are done too
          assertThat(commentInCopy(registry.file(), applies))
              .as("the file at the acknowledgement of apply %d", applies)
              .isEqualTo(comment);
        }
      } finally {
        round.forceTermination();
      }
      assertThat(applies).isGreaterThan(50);
    }
  }

  private static void startObserver(Registry registry, Phaser round, int observer) {
    Thread thread =
        new Thread(
            () -> {
              for (long r = 0; !round.isTerminated(); r++) {
                round.arriveAndAwaitAdvance();
                for (int w = 0; w < WRITES_PER_ROUND; w++) {
                  ConcurrentWriteLoop.observe(registry, observer, r * WRITES_PER_ROUND + w);
                }
                round.arriveAndAwaitAdvance();
              }
            },
            "observer-" + observer);
    thread.setDaemon(true);
    thread.start();
  }

  /** Copies the file as it is now and reads service a's comment from the copy. */
  private String commentInCopy(Path file, int apply) throws IOException {
    Path copy = copies.resolve("copy-" + apply);
    Files.createDirectories(copy);
    Files.copy(file, copy.resolve(file.getFileName()));
    try (Registry reopened = Registry.open(RegistryConfig.at(copy))) {
      return reopened.services().get("a").map(s -> s.spec().comment()).orElse(null);
    } finally {
      for (Path left : Files.list(copy).toList()) {
        Files.delete(left);
      }
      Files.delete(copy);
    }
  }
}
