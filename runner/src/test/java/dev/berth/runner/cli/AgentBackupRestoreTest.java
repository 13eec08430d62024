package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.StoredService;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth backup} against a real agent that keeps serving writers, and {@code berth restore}
 * into its data directory once it is stopped: the agent started on the restored registry makes the
 * node match the backup exactly.
 */
class AgentBackupRestoreTest {

  private static final int WRITERS = 3;

  @TempDir Path directory;
  @TempDir Path elsewhere;
  AgentProcess agent;
  Cli cli;

  @BeforeEach
  void configure() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    // The services' processes name this directory and their service on their command line.
    Path sleeper = directory.resolve("sleeper.sh");
    Files.writeString(sleeper, "#!/bin/sh\nwhile :; do /bin/busybox sleep 1; done\n");
    Files.setPosixFilePermissions(sleeper, PosixFilePermissions.fromString("rwxr-xr-x"));
    cli = Cli.onSocket(directory.resolve("berth.sock"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    AgentProcess.killLeftovers(directory);
  }

  @Test
  void aBackupTakenDuringAppliesRestoresAndTheAgentConvergesToExactlyIt() throws Exception {
    agent = AgentProcess.start(directory);
    apply(running("kept"));
    awaitProcessesOf("kept", 1);
    long keptPid = processesOf("kept").get(0).pid();

    // Writers declare pairs of services, each pair in one apply: a backup holds both or neither.
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(WRITERS * 5);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread thread =
          new Thread(
              () -> {
                try (AgentConnection connection =
                    AgentConnection.unixSocket(
                        directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
                  for (int i = 0; !stop.get(); i++) {
                    String pair = "w" + writer + "-" + i;
                    connection
                        .call()
                        .apply(
                            AgentProto.ApplyRequest.newBuilder()
                                .setSource("writer-" + writer)
                                .addServices(stopped(pair + "-x"))
                                .addServices(stopped(pair + "-y"))
                                .build());
                    acknowledged.add(pair + "-x");
                    acknowledged.add(pair + "-y");
                    warmedUp.countDown();
                  }
                }
              },
              "writer-" + w);
      thread.start();
      writers.add(thread);
    }
    assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
    Set<String> acknowledgedBefore = Set.copyOf(acknowledged);
    Path backup = elsewhere.resolve("berth.zip");
    Cli.Run backedUp = cli.run("backup", "-o", backup.toString());
    stop.set(true);
    for (Thread writer : writers) {
      writer.join(30_000);
    }

    assertThat(backedUp.exitCode()).as(backedUp.err()).isZero();
    assertThat(backedUp.outLines().get(0))
        .matches("backup written to " + backup + " \\(\\d+ bytes, made in \\d+ ms\\)");
    Set<String> inBackup = servicesIn(backup);
    assertThat(backedUp.outLines().get(1))
        .startsWith(inBackup.size() + " services (newest declared ");
    assertThat(inBackup).contains("kept").containsAll(acknowledgedBefore);
    for (String name : inBackup) {
      if (name.endsWith("-x")) {
        assertThat(inBackup).as("the pair of " + name).contains(name.replace("-x", "-y"));
      }
      if (name.endsWith("-y")) {
        assertThat(inBackup).as("the pair of " + name).contains(name.replace("-y", "-x"));
      }
    }
    assertThat(acknowledged).as("applies acknowledged after the backup").isNotEmpty();

    apply(running("later"));
    awaitProcessesOf("later", 1);
    agent.terminate();

    // The agent's data_dir is relative to its working directory, which this JVM's is not.
    Path config =
        Files.writeString(
            elsewhere.resolve("restore.toml"),
            "data_dir = \"" + directory.resolve("data") + "\"\n");
    Cli.Run restored = Cli.plain().run("restore", backup.toString(), "--config", config.toString());
    assertThat(restored.exitCode()).as(restored.err()).isZero();
    assertThat(restored.out())
        .contains("restored " + backup + " into " + directory.resolve("data"))
        .contains("the registry it replaced is kept as " + directory.resolve("data"));

    agent = AgentProcess.start(directory);
    assertThat(declared()).isEqualTo(inBackup);
    awaitNoProcessesOf("later");
    assertThat(processesOf("kept"))
        .as("the workload of a service in the backup is kept as it runs")
        .extracting(ProcessHandle::pid)
        .containsExactly(keptPid);
  }

  @Test
  void restoreChangesNothingWhileTheAgentRunsOrWhenTheBackupIsDamaged() throws Exception {
    agent = AgentProcess.start(directory);
    apply(running("shop"));
    Path backup = elsewhere.resolve("berth.zip");
    assertThat(cli.run("backup", "-o", backup.toString()).exitCode()).isZero();
    apply(stopped("later"));

    Cli.Run whileRunning = Cli.plain().run("restore", backup.toString(), "--data-dir", dataDir());

    assertThat(whileRunning.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(whileRunning.err())
        .contains("error: cannot restore while an agent runs")
        .contains("(pid " + agent.pid() + ")")
        .contains("nothing was changed");
    assertThat(declared()).containsExactlyInAnyOrder("shop", "later");
    assertThat(dataDirectory()).noneMatch(file -> file.contains("before-restore"));
    agent.terminate();
    Set<String> before = dataDirectory();

    Path truncated = Files.copy(backup, elsewhere.resolve("truncated.zip"));
    try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
      file.setLength(file.length() * 2 / 3);
    }
    Cli.Run cut = Cli.plain().run("restore", truncated.toString(), "--data-dir", dataDir());
    assertThat(cut.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cut.err())
        .startsWith("error: the backup " + truncated + " cannot be restored: it is not a whole zip")
        .contains("nothing was changed");

    Path damaged = Files.copy(backup, elsewhere.resolve("damaged.zip"));
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(damaged, bytes);
    Cli.Run flipped = Cli.plain().run("restore", damaged.toString(), "--data-dir", dataDir());
    assertThat(flipped.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(flipped.err()).contains("cannot be restored").contains("nothing was changed");

    assertThat(dataDirectory()).isEqualTo(before);
    agent = AgentProcess.start(directory);
    assertThat(declared()).containsExactlyInAnyOrder("shop", "later");
  }

  @Test
  void aBackupIntoADirectoryThatCannotBeWrittenIsAClearError() throws Exception {
    agent = AgentProcess.start(directory);
    Path plainFile = Files.writeString(elsewhere.resolve("plain"), "x");

    Cli.Run intoAFile = cli.run("backup", "-o", plainFile.resolve("berth.zip").toString());
    Cli.Run intoNothing =
        cli.run("backup", "-o", elsewhere.resolve("missing/berth.zip").toString());

    assertThat(intoAFile.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(intoAFile.err())
        .isEqualTo(
            "error: cannot write the backup to "
                + plainFile.resolve("berth.zip")
                + ": Not a directory; nothing was asked of the agent\n");
    assertThat(intoNothing.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(intoNothing.err())
        .isEqualTo(
            "error: cannot write the backup to "
                + elsewhere.resolve("missing/berth.zip")
                + ": no such directory; nothing was asked of the agent\n");
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).containsExactly(plainFile);
    }
  }

  @Test
  void aBackupToStdoutIsTheBackupAndWhatItHoldsGoesToStderr() throws Exception {
    agent = AgentProcess.start(directory);
    apply(stopped("shop"));
    Path captured = elsewhere.resolve("from-stdout.zip");
    Path stderr = elsewhere.resolve("stderr.txt");

    // A JVM of its own: the backup's bytes go to the process's stdout, not picocli's writer.
    Process backup =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                BerthCli.class.getName(),
                "backup",
                "-o",
                "-",
                "--socket",
                directory.resolve("berth.sock").toString())
            .redirectOutput(captured.toFile())
            .redirectError(stderr.toFile())
            .start();

    assertThat(backup.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(backup.exitValue()).as(Files.readString(stderr)).isZero();
    assertThat(Files.readString(stderr))
        .contains("backup written to stdout (" + Files.size(captured) + " bytes, made in ")
        .contains("1 service (newest declared ");
    assertThat(servicesIn(captured)).containsExactly("shop");
  }

  private Set<String> servicesIn(Path backup) {
    Path scratch = elsewhere.resolve("inspect");
    Registry.restore(backup, scratch);
    try (Registry registry = Registry.open(RegistryConfig.at(scratch))) {
      for (StoredService service : registry.services().list()) {
        if (service.name().startsWith("w")) {
          assertThat(service.spec().components()).as(service.name()).hasSize(2);
        }
      }
      return new HashSet<>(registry.services().names());
    }
  }

  private Set<String> declared() throws IOException {
    Cli.Run run = cli.run("status", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.ListServicesResponse.Builder all = AgentProto.ListServicesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), all);
    return all.getServicesList().stream()
        .map(s -> s.getSpec().getName())
        .collect(Collectors.toSet());
  }

  /**
   * The data directory's files with their sizes and times: what a refused restore must not change.
   */
  private Set<String> dataDirectory() throws IOException {
    try (Stream<Path> files = Files.list(directory.resolve("data"))) {
      Set<String> listing = new HashSet<>();
      for (Path file : files.toList()) {
        if (file.getFileName().toString().equals("registry.lock")) {
          listing.add("registry.lock " + Files.size(file));
        } else if (Files.isRegularFile(file)) {
          listing.add(
              file.getFileName() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file));
        } else {
          listing.add(file.getFileName() + "/");
        }
      }
      return listing;
    }
  }

  private String dataDir() {
    return directory.resolve("data").toString();
  }

  private void apply(AgentProto.ServiceSpec spec) {
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30))) {
      connection.call().apply(AgentProto.ApplyRequest.newBuilder().addServices(spec).build());
    }
  }

  private AgentProto.ServiceSpec running(String name) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(name)
        .addComponents(sleeper("loop", name))
        .build();
  }

  /** Two components, declared stopped: nothing runs, the registry holds it all the same. */
  private AgentProto.ServiceSpec stopped(String name) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(name)
        .setDesiredState("stopped")
        .addComponents(sleeper("a", name))
        .addComponents(sleeper("b", name))
        .build();
  }

  private AgentProto.ComponentSpec.Builder sleeper(String component, String service) {
    return AgentProto.ComponentSpec.newBuilder()
        .setName(component)
        .setRuntime("process")
        .setExecutable("/bin/sh")
        .addCmd(directory.resolve("sleeper.sh").toString())
        .addCmd("service=" + service)
        .setRestart("always");
  }

  private List<ProcessHandle> processesOf(String service) {
    return AgentProcess.processesUnder(directory).stream()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> line.endsWith("service=" + service))
                    .orElse(false))
        .toList();
  }

  private void awaitProcessesOf(String service, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (processesOf(service).size() != count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(processesOf(service)).as("processes of " + service).hasSize(count);
  }

  private void awaitNoProcessesOf(String service) throws InterruptedException {
    awaitProcessesOf(service, 0);
  }
}
