package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/berth, the launcher every installed wrapper runs: the class-data archive of client commands
 * (made once, mapped after, replaced when the jar changes, never seen half-written, kept in the
 * user's cache when the jar's directory is read-only), and no warnings on newer JDKs.
 */
class BerthLauncherTest {

  static final Path LAUNCHER = Path.of("..", "bin", "berth").toAbsolutePath().normalize();
  static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  @TempDir static Path shared;
  static Path builtJar;

  @TempDir Path directory;

  @BeforeAll
  static void buildJar() throws IOException {
    builtJar = LauncherJar.build(shared);
  }

  record Run(int exit, String out, String err) {}

  @Test
  void clientArchiveIsMadeOnceMappedAfterAndReplacedWhenTheJarChanges() throws Exception {
    Path jar = jarIn(directory.resolve("app"));

    Run first = launcher(Map.of("BERTH_JAR", jar.toString()), "version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("berth ");
    assertThat(first.err()).isEmpty();
    Path archive = onlyArchive(jar.getParent());
    assertMaps(archive, jar);

    FileTime made = Files.getLastModifiedTime(archive);
    Object identity = Files.readAttributes(archive, "unix:ino").get("ino");
    Run second = launcher(Map.of("BERTH_JAR", jar.toString()), "version");
    assertThat(second.exit()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
    assertThat(Files.readAttributes(archive, "unix:ino").get("ino")).isEqualTo(identity);

    // Mapped where it was written for: relocating it would cost a tenth of a short command.
    Path cdsLog = directory.resolve("cds.log");
    Run logged =
        launcher(
            Map.of(
                "BERTH_JAR", jar.toString(), "JAVA_TOOL_OPTIONS", "-Xlog:cds=info:file=" + cdsLog),
            "version");
    assertThat(logged.exit()).as(logged.err()).isZero();
    assertThat(Files.readString(cdsLog))
        .contains("Mapped dynamic region")
        .doesNotContain("alternative address");

    // An upgrade: the jar is newer than the archive made from it.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    Run upgraded = launcher(Map.of("BERTH_JAR", jar.toString()), "version");
    assertThat(upgraded.exit()).isZero();
    Path replacement = onlyArchive(jar.getParent());
    assertThat(replacement).isNotEqualTo(archive);
    assertThat(archive).doesNotExist();
    assertMaps(replacement, jar);
  }

  @Test
  void concurrentFirstCommandsAllRunAndLeaveOneWholeArchive() throws Exception {
    Path jar = jarIn(directory.resolve("app"));
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      processes.add(start(Map.of("BERTH_JAR", jar.toString()), "version"));
    }
    for (Process process : processes) {
      Run run = finish(process);
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("berth ");
      assertThat(run.err()).isEmpty();
    }
    assertMaps(onlyArchive(jar.getParent()), jar);
  }

  @Test
  void readOnlyJarDirectoryKeepsTheArchiveInTheUsersCache() throws Exception {
    Path jar = jarIn(directory.resolve("app"));
    Path home = Files.createDirectories(directory.resolve("home"));
    Map<String, String> environment = Map.of("BERTH_JAR", jar.toString(), "HOME", home.toString());
    Run run;
    if (isRoot()) {
      // root writes to any directory whatever its mode: make it a read-only mount instead.
      assumeTrue(
          new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0,
          "as root, this test needs unshare -m to mount the jar's directory read-only");
      run =
          finish(
              start(
                  environment,
                  List.of(
                      "unshare",
                      "-m",
                      "sh",
                      "-c",
                      "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift &&"
                          + " exec \"$@\"",
                      "sh",
                      jar.getParent().toString(),
                      LAUNCHER.toString(),
                      "version")));
    } else {
      assertThat(jar.getParent().toFile().setWritable(false, false)).isTrue();
      try {
        run = launcher(environment, "version");
      } finally {
        jar.getParent().toFile().setWritable(true, true);
      }
    }
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(archives(jar.getParent())).isEmpty();
    assertMaps(onlyArchive(home.resolve(".cache").resolve("berth")), jar);
  }

  @Test
  void noneMeansNoArchive() throws Exception {
    Path jar = jarIn(directory.resolve("app"));
    Path home = Files.createDirectories(directory.resolve("home"));
    Run run =
        launcher(
            Map.of(
                "BERTH_JAR",
                jar.toString(),
                "HOME",
                home.toString(),
                "BERTH_CLI_ARCHIVE_DIR",
                "none"),
            "version");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("berth ");
    assertThat(archives(jar.getParent())).isEmpty();
    assertThat(home.resolve(".cache")).doesNotExist();
  }

  /**
   * JDK 25 warns about native access and sun.misc.Unsafe unless told not to: the agent and the
   * client run through the launcher there print no warning, the client with its AOT cache.
   */
  @Test
  void agentAndClientPrintNoWarningsOnJdk25() throws Exception {
    assumeTrue(
        Files.isExecutable(JDK25.resolve("bin").resolve("java")),
        "Temurin 25 is not installed at " + JDK25);
    Path jar = jarIn(directory.resolve("app"));
    Path node = Files.createDirectories(directory.resolve("node"));
    AgentProcess.writeProcessAgentConfig(node);
    Map<String, String> environment =
        Map.of(
            "BERTH_JAR",
            jar.toString(),
            "PATH",
            JDK25.resolve("bin") + ":" + System.getenv("PATH"),
            // No agent archive: its dump at exit is not what this test is about.
            "BERTH_CDS_ARCHIVE",
            directory.resolve("no-such-dir").resolve("agent.jsa").toString());

    Run version = launcher(environment, "version");
    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out()).contains("java 25");
    assertThat(version.err()).isEmpty();
    assertThat(onlyArchive(jar.getParent()).getFileName().toString()).endsWith(".aot");

    Path log = node.resolve("agent.log");
    Process agent =
        processBuilder(environment, List.of(LAUNCHER.toString(), "agent", "--config", "berth.toml"))
            .directory(node.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log).contains("berth agent started")) {
        assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("agent start").isLessThan(deadline);
        Thread.sleep(100);
      }
      Run status =
          launcher(environment, "status", "--socket", node.resolve("berth.sock").toString());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("no services are declared");
      assertThat(status.err()).isEmpty();
    } finally {
      agent.destroy();
      if (!agent.waitFor(30, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
      AgentProcess.killLeftovers(node);
    }
    assertThat(Files.readAllLines(log)).noneMatch(line -> line.contains("WARNING"));
  }

  /** A jar of its own in {@code directory}: the shared one, its lib/ linked. */
  private static Path jarIn(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path jar = Files.copy(builtJar, directory.resolve("berth.jar"));
    Files.createSymbolicLink(directory.resolve("lib"), shared.resolve("lib"));
    return jar;
  }

  private static List<Path> archives(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().contains("-cli-")).toList();
    }
  }

  /** The one archive in {@code directory}: no lock, temporary file or failure marker beside it. */
  private static Path onlyArchive(Path directory) throws IOException {
    List<Path> found = archives(directory);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).getFileName().toString()).matches("berth-cli-.*\\.(jsa|aot)");
    return found.get(0);
  }

  /**
   * The archive is a whole one, made for this jar: a JVM told to use it or fail (-Xshare:on, or the
   * AOT cache's mode on) runs the CLI with it.
   */
  private static void assertMaps(Path archive, Path jar) throws Exception {
    Path java = archive.toString().endsWith(".aot") ? JDK25.resolve("bin").resolve("java") : null;
    List<String> command = new ArrayList<>();
    command.add(
        java == null
            ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
            : "" + java);
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-Xms16m",
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED"));
    if (java == null) {
      command.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
    } else {
      command.addAll(
          List.of(
              "--sun-misc-unsafe-memory-access=allow",
              "-XX:AOTMode=on",
              "-XX:AOTCache=" + archive));
    }
    command.addAll(List.of("-cp", jar.toString(), BerthCli.class.getName(), "version"));
    Run run = finish(processBuilder(Map.of(), command).start());
    assertThat(run.exit()).as("mapping " + archive + ": " + run.err()).isZero();
    assertThat(run.out()).startsWith("berth ");
  }

  private static boolean isRoot() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    return new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .strip()
        .equals("0");
  }

  private static Run launcher(Map<String, String> environment, String... args) throws Exception {
    return finish(start(environment, args));
  }

  private static Process start(Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    return start(environment, command);
  }

  private static Process start(Map<String, String> environment, List<String> command)
      throws IOException {
    return processBuilder(environment, command).start();
  }

  /**
   * The launcher's environment: this JVM's java first on PATH, none of the caller's BERTH_ or cache
   * variables, then {@code environment}.
   */
  private static ProcessBuilder processBuilder(
      Map<String, String> environment, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> variables = builder.environment();
    variables.keySet().removeIf(name -> name.startsWith("BERTH_") || name.startsWith("XDG_"));
    variables.put(
        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    variables.putAll(environment);
    return builder;
  }

  private static Run finish(Process process) throws Exception {
    // Output is small; read it after the exit, each stream drained on its own thread meanwhile.
    var out = new java.util.concurrent.CompletableFuture<String>();
    var err = new java.util.concurrent.CompletableFuture<String>();
    drain(process.getInputStream(), out);
    drain(process.getErrorStream(), err);
    if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the launcher did not end within " + RUN_TIMEOUT);
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static void drain(
      java.io.InputStream stream, java.util.concurrent.CompletableFuture<String> into) {
    Thread thread =
        new Thread(
            () -> {
              try {
                into.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                into.completeExceptionally(e);
              }
            });
    thread.setDaemon(true);
    thread.start();
  }
}
