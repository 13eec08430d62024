package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a real agent acknowledged survives kill -9, with several clients writing at once: three
 * clients apply, stop and delete services through the API while the agent's loops run their
 * processes and write status and events; the agent is killed with SIGKILL at a random moment, 40
 * times over one data directory. After each kill the next agent must start (its registry opens),
 * and every service must be as its last acknowledged declaration left it, or as the one in flight
 * at the kill would leave it; a service whose delete was acknowledged never comes back.
 */
class AgentKillDuringWritesTest {

  private static final int KILLS = 40;
  private static final int CLIENTS = 3;
  private static final int SERVICES_PER_CLIENT = 2;

  /** Requests remembered per service, and agent log lines shown, when a service is not as known. */
  private static final int HISTORY = 12;

  private static final int LOG_TAIL = 60;

  @TempDir Path directory;
  AgentProcess agent;

  /** What each round came to, for a failure's message: acknowledgements per client. */
  private final List<String> rounds = new ArrayList<>();

  /** What the declarations left of a service: null for absent. */
  record Declared(String comment, String desiredState) {}

  /**
   * One client's services: the last acknowledged state, the declaration in flight, and what was
   * asked of each service lately with its answer (shown when a service is not as acknowledged).
   */
  static final class Ledger {
    final Map<String, Declared> acknowledged = new HashMap<>();
    final Map<String, Declared> inFlight = new HashMap<>();
    final Map<String, Deque<String>> history = new HashMap<>();

    void note(String service, String what) {
      Deque<String> lines = history.computeIfAbsent(service, s -> new ArrayDeque<>());
      lines.addLast(what);
      if (lines.size() > HISTORY) {
        lines.removeFirst();
      }
    }
  }

  @BeforeEach
  void configure() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    // The services' processes name this directory on their command line, so that every one the
    // test leaves is found and killed at the end.
    Path sleeper = directory.resolve("sleeper.sh");
    Files.writeString(sleeper, "#!/bin/sh\nwhile :; do /bin/busybox sleep 1; done\n");
    Files.setPosixFilePermissions(sleeper, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    AgentProcess.killLeftovers(directory);
  }

  @Test
  void declarationsAcknowledgedToSeveralClientsSurviveRepeatedSigkills() throws Exception {
    Random random = new Random(11);
    List<Ledger> ledgers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      ledgers.add(new Ledger());
    }
    int acknowledged = 0;
    for (int r = 0; r < KILLS; r++) {
      int round = r;
      agent = AgentProcess.start(directory);
      verify(ledgers, round);
      AtomicBoolean killed = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      int[] acks = new int[CLIENTS];
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        long seed = random.nextLong();
        Thread thread =
            new Thread(
                () ->
                    acks[client] =
                        write(client, round, ledgers.get(client), new Random(seed), killed),
                "client-" + c);
        thread.start();
        clients.add(thread);
      }
      Thread.sleep(150 + random.nextInt(1200));
      killed.set(true);
      agent.kill9();
      for (Thread client : clients) {
        client.join(Duration.ofSeconds(60).toMillis());
        assertThat(client.isAlive()).as("a client still waits for the killed agent").isFalse();
      }
      for (int count : acks) {
        acknowledged += count;
      }
      rounds.add("round " + round + ": acknowledged per client " + Arrays.toString(acks));
    }
    agent = AgentProcess.start(directory);
    verify(ledgers, KILLS);
    assertThat(acknowledged).as("declarations acknowledged in all").isGreaterThan(KILLS * 3);
  }

  /**
   * One client: declares its own services until the agent dies under it.
   *
   * @return how many declarations were acknowledged
   */
  private int write(int client, int round, Ledger ledger, Random random, AtomicBoolean killed) {
    int acks = 0;
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
      for (int seq = 0; !killed.get(); seq++) {
        String service = service(client, random.nextInt(SERVICES_PER_CLIENT));
        Declared before = ledger.acknowledged.get(service);
        int dice = random.nextInt(10);
        String comment =
            dice < 6 ? "client " + client + " write " + seq + " " + random.nextLong() : null;
        String request;
        Declared after;
        if (dice < 6) {
          request = "apply '" + comment + "'";
          after = new Declared(comment, "running");
        } else if (dice < 8) {
          request = "stop (write " + seq + ")";
          after = before == null ? null : new Declared(before.comment(), "stopped");
        } else {
          request = "delete (write " + seq + ")";
          after = null;
        }
        ledger.inFlight.put(service, after);
        try {
          AgentProto.ServiceRequest named =
              AgentProto.ServiceRequest.newBuilder().setName(service).build();
          if (dice < 6) {
            connection
                .call()
                .apply(
                    AgentProto.ApplyRequest.newBuilder()
                        .addServices(spec(service, comment))
                        .build());
          } else if (dice < 8) {
            connection.call().stopService(named);
          } else {
            connection.call().deleteService(named);
          }
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
            after = before; // stopping or deleting what is not declared changes nothing
          } else {
            // The agent died: the declaration in flight may or may not have landed.
            ledger.note(
                service, "round " + round + ": " + request + " in flight: " + e.getStatus());
            return acks;
          }
        }
        ledger.note(service, "round " + round + ": " + request + " -> " + after);
        ledger.inFlight.remove(service);
        ledger.acknowledged.put(service, after);
        acks++;
      }
    } catch (StatusRuntimeException e) {
      // Closing a connection to a dead agent.
    }
    return acks;
  }

  /**
   * Every client's services are as acknowledged, or as the declaration in flight left them. A
   * failure names every service that is not, with what was asked of it lately, and the agent's log.
   */
  private void verify(List<Ledger> ledgers, int round) {
    List<String> mismatches = new ArrayList<>();
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
      for (int client = 0; client < ledgers.size(); client++) {
        Ledger ledger = ledgers.get(client);
        // Every service the client may have declared, also one whose only declaration was in
        // flight at a kill: never declared, it must be absent; declared, the ledger learns it.
        for (int i = 0; i < SERVICES_PER_CLIENT; i++) {
          String service = service(client, i);
          Declared acknowledged = ledger.acknowledged.get(service);
          Declared stored = stored(connection, service);
          boolean inFlightLanded =
              ledger.inFlight.containsKey(service)
                  && Objects.equals(stored, ledger.inFlight.get(service));
          if (!inFlightLanded && !Objects.equals(stored, acknowledged)) {
            mismatches.add(
                service
                    + " (acknowledged: "
                    + acknowledged
                    + ")\n    but was: "
                    + stored
                    + "\n    lately: "
                    + String.join(
                        "\n            ",
                        ledger.history.getOrDefault(service, new ArrayDeque<>())));
          }
          // From here on what the registry holds is the truth.
          ledger.acknowledged.put(service, stored);
          ledger.note(service, "after kill " + round + ": found " + stored);
        }
        ledger.inFlight.clear();
      }
    }
    assertThat(mismatches)
        .as(
            "after kill %d, services not as acknowledged:%n  %s%n%s%nthe agent's log ends with:%n%s",
            round,
            String.join("\n  ", mismatches),
            String.join("\n", rounds.subList(Math.max(0, rounds.size() - 5), rounds.size())),
            logTail())
        .isEmpty();
  }

  private String logTail() {
    List<String> lines = agent.log().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()));
  }

  private static String service(int client, int index) {
    return "svc-" + client + "-" + index;
  }

  private static Declared stored(AgentConnection connection, String service) {
    try {
      AgentProto.Service found =
          connection
              .call()
              .getService(AgentProto.GetServiceRequest.newBuilder().setName(service).build());
      String state = found.getSpec().getDesiredState();
      return new Declared(found.getSpec().getComment(), state.isEmpty() ? "running" : state);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private AgentProto.ServiceSpec spec(String service, String comment) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(service)
        .setComment(comment)
        .addComponents(
            AgentProto.ComponentSpec.newBuilder()
                .setName("loop")
                .setRuntime("process")
                .setExecutable("/bin/sh")
                .addCmd(directory.resolve("sleeper.sh").toString())
                .setRestart("always"))
        .build();
  }
}
