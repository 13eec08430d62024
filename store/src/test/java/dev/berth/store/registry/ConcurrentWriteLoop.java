package dev.berth.store.registry;

import dev.berth.spec.model.DesiredState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Phaser;

/**
 * The child process of {@link ConcurrentDurabilityTest}: one thread declares (applies, stops,
 * deletes) while three others write observed state (status, conditions, events) at the same time,
 * as an agent's loops do beside its API. Before each declaration it prints {@code BEGIN <seq> <op>
 * <service> <comment>}; once the declaration returned and the other writers finished their round,
 * {@code ACK <seq>}. Then it waits for a line on its input before the next round, so that the
 * parent can kill it when nothing was written after an acknowledgement: the moment at which a
 * skipped write of the file shows. Runs until it is killed.
 */
public final class ConcurrentWriteLoop {

  static final int SERVICES = 6;
  static final int OBSERVERS = 3;
  private static final int WRITES_PER_ROUND = 3;

  private ConcurrentWriteLoop() {}

  public static void main(String[] args) throws Exception {
    Path dataDirectory = Path.of(args[0]);
    String run = args[1];
    PrintStream out = System.out;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Registry registry = Registry.open(RegistryConfig.at(dataDirectory));
    // Each round: the declaring thread and the observers start together, and all end together.
    Phaser round = new Phaser(1 + OBSERVERS);
    for (int i = 0; i < OBSERVERS; i++) {
      int observer = i;
      Thread thread =
          new Thread(
              () -> {
                for (long r = 0; ; r++) {
                  round.arriveAndAwaitAdvance();
                  for (int w = 0; w < WRITES_PER_ROUND; w++) {
                    observe(registry, observer, r * WRITES_PER_ROUND + w);
                  }
                  round.arriveAndAwaitAdvance();
                }
              },
              "observer-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    out.println("READY");
    out.flush();
    Random random = new Random(run.hashCode());
    for (long seq = 0; ; seq++) {
      String name = "svc-" + random.nextInt(SERVICES);
      String comment = "run " + run + " write " + seq;
      int dice = random.nextInt(10);
      String op = dice < 6 ? "apply" : dice < 8 ? "stop" : "delete";
      out.println("BEGIN " + seq + " " + op + " " + name + " " + comment);
      out.flush();
      round.arriveAndAwaitAdvance();
      declare(registry, op, name, comment);
      round.arriveAndAwaitAdvance();
      out.println("ACK " + seq);
      out.flush();
      if (in.readLine() == null) {
        return;
      }
    }
  }

  private static void declare(Registry registry, String op, String name, String comment) {
    switch (op) {
      case "apply" ->
          registry
              .services()
              .apply(ApplyRequest.of("durability", List.of(Specs.web(name).withComment(comment))));
      case "stop" -> {
        try {
          registry.services().setDesiredState(name, DesiredState.STOPPED, null);
        } catch (NotFoundException e) {
          // Not declared now: nothing changes, which is what the parent expects too.
        }
      }
      default -> registry.services().delete(name, null);
    }
  }

  /** One write of status, conditions or events for every declared service. */
  static void observe(Registry registry, int observer, long round) {
    try {
      List<String> names = registry.services().names();
      switch ((int) ((round + observer) % 3)) {
        case 0 -> {
          List<ComponentStatus> statuses = new ArrayList<>();
          for (String name : names) {
            statuses.add(
                new ComponentStatus(
                    name,
                    "web",
                    "container",
                    "running",
                    "id-" + round,
                    "img:1",
                    "hash",
                    1,
                    null,
                    Instant.now(),
                    "round " + round,
                    Instant.now()));
          }
          registry.status().putAll(statuses);
        }
        case 1 -> {
          for (String name : names) {
            registry
                .status()
                .putConditions(
                    name,
                    List.of(
                        new Condition(
                            "web",
                            "Ready",
                            Condition.Status.TRUE,
                            "Running",
                            "round " + round,
                            Instant.now())));
          }
        }
        default -> {
          List<NewEvent> events = new ArrayList<>();
          for (String name : names) {
            events.add(
                new NewEvent(name, "web", ServiceEvent.Type.NORMAL, "Observed", "round " + round));
          }
          registry.events().recordAll(events);
        }
      }
    } catch (NotFoundException | ConflictException e) {
      // A service deleted between names() and the write: the next round sees the new set.
    }
  }
}
