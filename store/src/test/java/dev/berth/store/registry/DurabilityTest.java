package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the registry acknowledged survives kill -9. A child JVM applies specs in a loop and
 * prints each acknowledged generation; it is killed with SIGKILL at a random moment, 20 times over
 * the same data directory; after each kill the registry must open cleanly and hold every write the
 * child acknowledged, each service's history ending with what is declared.
 */
class DurabilityTest {

  private static final int KILLS = 20;

  @TempDir Path dataDirectory;

  /** The last acknowledged write per service. */
  private record Ack(long generation, String comment) {}

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Random random = new Random(42);
    Map<String, Ack> acknowledged = new HashMap<>();
    int totalAcks = 0;
    for (int round = 0; round < KILLS; round++) {
      Process child =
          ChildJvm.start(ApplyLoop.class, dataDirectory.toString(), String.valueOf(round));
      BufferedReader out = ChildJvm.stdout(child);
      ChildJvm.awaitLine(out, "READY", child);
      int acksBeforeKill = 1 + random.nextInt(40);
      for (int seen = 0; seen < acksBeforeKill; ) {
        String line = ChildJvm.awaitLine(out, "ACK ", child);
        record(line, acknowledged);
        seen++;
        totalAcks++;
      }
      Thread.sleep(random.nextInt(15)); // land the kill anywhere in an apply
      // SIGKILL: no shutdown hooks, no clean close. Through the handle, because
      // Process.destroyForcibly() would also close the pipe with acknowledgements still in it.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Lines already written to the pipe were acknowledged too.
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("ACK ")) {
          record(line, acknowledged);
          totalAcks++;
        }
      }

      try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
        for (var ack : acknowledged.entrySet()) {
          int lostIn = round;
          StoredService stored =
              registry
                  .services()
                  .get(ack.getKey())
                  .orElseThrow(
                      () ->
                          new AssertionError(
                              "round "
                                  + lostIn
                                  + ": "
                                  + ack.getKey()
                                  + " was acknowledged at"
                                  + " generation "
                                  + ack.getValue().generation()
                                  + " and is gone"));
          assertThat(stored.generation())
              .as(
                  "round %d: %s was acknowledged at generation %d",
                  round, ack.getKey(), ack.getValue().generation())
              .isGreaterThanOrEqualTo(ack.getValue().generation());
          if (stored.generation() == ack.getValue().generation()) {
            assertThat(stored.spec().comment()).isEqualTo(ack.getValue().comment());
          }
        }
        // The history commits with the declaration it records: its newest entry is what is
        // declared, whenever the kill came.
        for (StoredService stored : registry.services().list()) {
          List<HistoryEntry> history = registry.services().history(stored.name());
          assertThat(history).hasSizeBetween(1, RegistryConfig.DEFAULT_HISTORY_PER_SERVICE);
          HistoryEntry newest = history.get(history.size() - 1);
          assertThat(newest.generation()).as("round %d", round).isEqualTo(stored.generation());
          assertThat(newest.spec()).as("round %d", round).isEqualTo(stored.spec());
        }
      }
    }
    assertThat(totalAcks).isGreaterThanOrEqualTo(KILLS);
  }

  private static void record(String line, Map<String, Ack> acknowledged) {
    String[] parts = line.split(" ", 4);
    acknowledged.merge(
        parts[1],
        new Ack(Long.parseLong(parts[2]), parts[3]),
        (a, b) -> a.generation() >= b.generation() ? a : b);
  }
}
