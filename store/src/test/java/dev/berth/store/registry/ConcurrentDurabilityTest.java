package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.DesiredState;
import java.io.BufferedReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the registry acknowledged survives kill -9 while other threads write observed state at
 * the same time, as an agent's loops do beside its API. A child JVM ({@link ConcurrentWriteLoop})
 * applies, stops and deletes services on one thread while three others write status, conditions and
 * events; it is killed with SIGKILL, over and over on one data directory: half the time right after
 * an acknowledgement with nothing written since (where a write the file skipped shows), half at a
 * random moment of the next round. After each kill the registry must open, and every service must
 * be as the last acknowledged declaration left it (or as the one declaration in flight at the kill
 * would leave it).
 */
class ConcurrentDurabilityTest {

  private static final int KILLS = 20;

  @TempDir Path dataDirectory;

  /** What a declaration leaves of a service: null for absent. */
  private record Declared(String comment, DesiredState state) {}

  private record Operation(long seq, String op, String service, String comment) {
    static Operation parse(String line) {
      String[] parts = line.split(" ", 5);
      return new Operation(Long.parseLong(parts[1]), parts[2], parts[3], parts[4]);
    }

    Declared applyTo(Declared before) {
      return switch (op) {
        case "apply" -> new Declared(comment, DesiredState.RUNNING);
        case "stop" -> before == null ? null : new Declared(before.comment(), DesiredState.STOPPED);
        default -> null;
      };
    }
  }

  @Test
  void declarationsAcknowledgedBesideObservedStateWritersSurviveSigkill() throws Exception {
    Random random = new Random(7);
    Map<String, Declared> model = new HashMap<>();
    int acknowledged = 0;
    for (int round = 0; round < KILLS; round++) {
      Process child =
          ChildJvm.start(
              ConcurrentWriteLoop.class, dataDirectory.toString(), String.valueOf(round));
      BufferedReader out = ChildJvm.stdout(child);
      Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
      ChildJvm.awaitLine(out, "READY", child);
      List<Operation> begun = new ArrayList<>();
      int acksBeforeKill = 1 + random.nextInt(20);
      // Half the kills land right after an acknowledgement, with nothing written since; the others
      // anywhere in the next round.
      boolean quiet = random.nextBoolean();
      int acks = 0;
      while (acks < acksBeforeKill) {
        String line = out.readLine();
        if (line == null) {
          throw new IllegalStateException("the child ended (exit " + child.waitFor() + ")");
        }
        int acked = follow(line, begun, model);
        acks += acked;
        if (acked == 1 && (acks < acksBeforeKill || !quiet)) {
          in.write("go\n");
          in.flush();
        }
      }
      if (!quiet) {
        Thread.sleep(random.nextInt(8));
      }
      // Through the handle: Process.destroyForcibly() would also close the pipe.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        acks += follow(line, begun, model);
      }
      acknowledged += acks;
      Operation inFlight = begun.isEmpty() ? null : begun.get(0);

      try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
        for (int i = 0; i < ConcurrentWriteLoop.SERVICES; i++) {
          String service = "svc-" + i;
          Declared stored = declared(registry, service);
          Declared expected = model.get(service);
          if (inFlight != null
              && inFlight.service().equals(service)
              && Objects.equals(stored, inFlight.applyTo(expected))) {
            expected = stored; // the declaration in flight at the kill made it: allowed
          }
          assertThat(stored)
              .as(
                  "round %d (%s kill): %s after %d acknowledged declarations",
                  round, quiet ? "quiet" : "random", service, acknowledged)
              .isEqualTo(expected);
        }
        // What the registry holds is the model from here on (an in-flight write may have landed).
        for (int i = 0; i < ConcurrentWriteLoop.SERVICES; i++) {
          model.put("svc-" + i, declared(registry, "svc-" + i));
        }
      }
    }
    assertThat(acknowledged).isGreaterThanOrEqualTo(KILLS);
  }

  private static Declared declared(Registry registry, String service) {
    return registry
        .services()
        .get(service)
        .map(s -> new Declared(s.spec().comment(), s.spec().desiredState()))
        .orElse(null);
  }

  /** Follows one line of the child; returns 1 for an acknowledgement. */
  private static int follow(String line, List<Operation> begun, Map<String, Declared> model) {
    if (line.startsWith("BEGIN ")) {
      begun.add(Operation.parse(line));
      return 0;
    }
    if (line.startsWith("ACK ")) {
      long seq = Long.parseLong(line.substring(4).trim());
      Operation done = begun.remove(0);
      assertThat(done.seq()).isEqualTo(seq);
      model.put(done.service(), done.applyTo(model.get(done.service())));
      return 1;
    }
    return 0;
  }
}
