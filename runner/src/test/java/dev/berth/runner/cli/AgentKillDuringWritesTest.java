package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.ApplyRequest;
import dev.berth.proto.v1.ComponentSpec;
import dev.berth.proto.v1.GetServiceRequest;
import dev.berth.proto.v1.Service;
import dev.berth.proto.v1.ServiceRequest;
import dev.berth.proto.v1.ServiceSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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

  @TempDir Path directory;
  AgentProcess agent;

  /** What the declarations left of a service: null for absent. */
  record Declared(String comment, String desiredState) {}

  /** One client's services: the last acknowledged state, and the declaration in flight. */
  static final class Ledger {
    final Map<String, Declared> acknowledged = new HashMap<>();
    final Map<String, Declared> inFlight = new HashMap<>();
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
    for (int round = 0; round < KILLS; round++) {
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
                () -> acks[client] = write(client, ledgers.get(client), new Random(seed), killed),
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
  private int write(int client, Ledger ledger, Random random, AtomicBoolean killed) {
    int acks = 0;
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
      for (int seq = 0; !killed.get(); seq++) {
        String service = "svc-" + client + "-" + random.nextInt(SERVICES_PER_CLIENT);
        Declared before = ledger.acknowledged.get(service);
        int dice = random.nextInt(10);
        Declared after;
        try {
          if (dice < 6) {
            String comment = "client " + client + " write " + seq + " " + random.nextLong();
            after = new Declared(comment, "running");
            ledger.inFlight.put(service, after);
            connection
                .call()
                .apply(ApplyRequest.newBuilder().addServices(spec(service, comment)).build());
          } else if (dice < 8) {
            after = before == null ? null : new Declared(before.comment(), "stopped");
            ledger.inFlight.put(service, after);
            connection.call().stopService(ServiceRequest.newBuilder().setName(service).build());
          } else {
            after = null;
            ledger.inFlight.put(service, null);
            connection.call().deleteService(ServiceRequest.newBuilder().setName(service).build());
          }
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
            after = before; // stopping or deleting what is not declared changes nothing
          } else {
            return acks; // the agent died: the declaration in flight may or may not have landed
          }
        }
        ledger.inFlight.remove(service);
        ledger.acknowledged.put(service, after);
        acks++;
      }
    } catch (StatusRuntimeException e) {
      // Closing a connection to a dead agent.
    }
    return acks;
  }

  /** Every client's services are as acknowledged, or as the declaration in flight left them. */
  private void verify(List<Ledger> ledgers, int round) {
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
      for (Ledger ledger : ledgers) {
        for (var entry : new HashMap<>(ledger.acknowledged).entrySet()) {
          String service = entry.getKey();
          Declared stored = stored(connection, service);
          Declared expected = entry.getValue();
          if (ledger.inFlight.containsKey(service)
              && Objects.equals(stored, ledger.inFlight.get(service))) {
            expected = stored; // the declaration in flight at the kill landed: allowed
          }
          assertThat(stored)
              .as("after kill %d: %s (acknowledged: %s)", round, service, entry.getValue())
              .isEqualTo(expected);
          // From here on what the registry holds is the truth.
          ledger.acknowledged.put(service, stored);
        }
        ledger.inFlight.clear();
      }
    }
  }

  private static Declared stored(AgentConnection connection, String service) {
    try {
      Service found =
          connection.call().getService(GetServiceRequest.newBuilder().setName(service).build());
      String state = found.getSpec().getDesiredState();
      return new Declared(found.getSpec().getComment(), state.isEmpty() ? "running" : state);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private ServiceSpec spec(String service, String comment) {
    return ServiceSpec.newBuilder()
        .setName(service)
        .setComment(comment)
        .addComponents(
            ComponentSpec.newBuilder()
                .setName("loop")
                .setRuntime("process")
                .setExecutable("/bin/sh")
                .addCmd(directory.resolve("sleeper.sh").toString())
                .setRestart("always"))
        .build();
  }
}
