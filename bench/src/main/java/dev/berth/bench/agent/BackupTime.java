package dev.berth.bench.agent;

import dev.berth.proto.v1.AgentProto;
import dev.berth.store.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * How long {@code berth backup} and {@code berth restore} take on a registry of N services, and how
 * large a backup is: a real agent JVM (the agent's jar, process runtime) declares N services of two
 * components each (declared stopped: nothing runs, the registry holds them all the same), then the
 * {@code Backup} call is timed R times from this JVM (the agent's work and the transfer, not a
 * CLI's start), and {@code Registry.restore} of the backup into a scratch data directory R times,
 * once the agent is stopped.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.berth.bench.agent.BackupTime [SERVICES=1000] [ROUNDS=5] [JAR=runner/target/berth.jar]
 * </pre>
 */
public final class BackupTime {

  private BackupTime() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path jar = Path.of(args.length > 2 ? args[2] : "runner/target/berth.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path root = Files.createTempDirectory("berth-backup-time-");
    Teardown teardown = new Teardown(root, new Leftovers(UUID.randomUUID().toString()));
    Runtime.getRuntime().addShutdownHook(new Thread(teardown, "backup-time-teardown"));
    try (AgentClient client = new AgentClient()) {
      Path node = root.resolve("node");
      AgentJvm agent = AgentJvm.launch(java, jar, JvmOptionSet.jvmDefaults(), node, teardown);
      agent.awaitServing(client);
      List<Long> backupMs = new ArrayList<>();
      long size = 0;
      Path backup = root.resolve("backup.zip");
      try (AgentClient.Connection connection = client.connect(agent.socket())) {
        long applying = System.nanoTime();
        AgentProto.ApplyRequest.Builder apply = AgentProto.ApplyRequest.newBuilder();
        for (int i = 1; i <= services; i++) {
          apply.addServices(spec("svc-" + i));
        }
        connection.call().apply(apply.build());
        System.out.printf(
            Locale.ROOT,
            "declared %d services in %d ms%n",
            services,
            (System.nanoTime() - applying) / 1_000_000);
        for (int r = 0; r < rounds; r++) {
          long started = System.nanoTime();
          Iterator<AgentProto.BackupChunk> chunks =
              connection.call().backup(AgentProto.BackupRequest.getDefaultInstance());
          AgentProto.BackupInfo info = chunks.next().getInfo();
          try (var out = Files.newOutputStream(backup)) {
            while (chunks.hasNext()) {
              chunks.next().getData().writeTo(out);
            }
          }
          long ms = (System.nanoTime() - started) / 1_000_000;
          backupMs.add(ms);
          size = Files.size(backup);
          System.out.printf(
              Locale.ROOT,
              "backup %d: %d ms (the agent made it in %d ms), %d bytes, %d services%n",
              r + 1,
              ms,
              info.getTookMs(),
              size,
              info.getServices());
        }
      }
      long registryBytes = Files.size(node.resolve("data/registry.mv.db"));
      agent.terminate();
      List<Long> restoreMs = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long started = System.nanoTime();
        Registry.restore(backup, root.resolve("restored"));
        restoreMs.add((System.nanoTime() - started) / 1_000_000);
      }
      System.out.printf(
          Locale.ROOT,
          "%n%d services: backup median %d ms (min %d), %d bytes (the live registry file: %d"
              + " bytes); restore median %d ms (min %d)%n",
          services,
          median(backupMs),
          Collections.min(backupMs),
          size,
          registryBytes,
          median(restoreMs),
          Collections.min(restoreMs));
    } finally {
      teardown.run();
    }
  }

  private static AgentProto.ServiceSpec spec(String name) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(name)
        .setDesiredState("stopped")
        .setComment("declared by BackupTime")
        .addComponents(component("web").putEnv("LISTEN", "127.0.0.1:8080"))
        .addComponents(component("worker"))
        .build();
  }

  private static AgentProto.ComponentSpec.Builder component(String name) {
    return AgentProto.ComponentSpec.newBuilder()
        .setName(name)
        .setRuntime("process")
        .setExecutable("/bin/sleep")
        .addCmd("3600");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
