package dev.berth.runner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code berth agent} in a JVM of its own, started as an operator would (working directory,
 * config file), so that a test can kill it with SIGKILL and start another. Its output goes to
 * {@code agent.log} in its directory. Closing it stops the agent and then kills every process still
 * running from its directory: the services the agent left running, by design.
 */
final class AgentProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final Process process;

  /**
   * Where this agent's output starts in {@code agent.log}, which every agent of a test appends to.
   */
  private final long logStart;

  private AgentProcess(Path directory, Process process, long logStart) {
    this.directory = directory;
    this.process = process;
    this.logStart = logStart;
  }

  /**
   * Writes {@code directory}'s {@code berth.toml} for an agent of host processes only: data in
   * {@code data}, its API on {@code berth.sock}, no metrics endpoint, the runtimes listed every 2
   * s.
   */
  static void writeProcessAgentConfig(Path directory) throws IOException {
    writeProcessAgentConfig(directory, "");
  }

  /** The same, with the metrics and health endpoints on {@code metricsPort} of 127.0.0.1. */
  static void writeProcessAgentConfig(Path directory, int metricsPort) throws IOException {
    writeProcessAgentConfig(directory, "127.0.0.1:" + metricsPort);
  }

  private static void writeProcessAgentConfig(Path directory, String metrics) throws IOException {
    writeAgentConfig(directory, metrics, "\"process\"", "");
  }

  /**
   * Writes {@code directory}'s {@code berth.toml} as {@link #writeProcessAgentConfig(Path)} does,
   * with other runtimes and more tables after it.
   *
   * @param runtimes what {@code runtimes.enabled} lists, such as {@code "podman"} with its quotes
   * @param more TOML tables appended, such as {@code [runtimes.podman]}
   */
  static void writeAgentConfig(Path directory, String metrics, String runtimes, String more)
      throws IOException {
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = "%s"

        [runtimes]
        enabled = [%s]

        [reconcile]
        relist_period = "2s"
        """
                .formatted(metrics, runtimes)
            + more);
  }

  /** Starts an agent in {@code directory} with its {@code berth.toml}, and waits for its API. */
  static AgentProcess start(Path directory, String... extraArgs) throws IOException {
    AgentProcess agent = launch(directory, extraArgs);
    try {
      agent.awaitServing();
    } catch (RuntimeException e) {
      // The caller never gets this agent to close: without this it would outlive the test.
      agent.process.destroyForcibly();
      throw e;
    }
    return agent;
  }

  /** Starts an agent without waiting: for agents that are expected to refuse to start. */
  static AgentProcess launch(Path directory, String... extraArgs) throws IOException {
    return launch(directory, Map.of(), extraArgs);
  }

  /** The same, with {@code variables} added to the agent's environment. */
  static AgentProcess launch(Path directory, Map<String, String> variables, String... extraArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(BerthCli.class.getName());
    command.addAll(List.of("agent", "--config", "berth.toml"));
    command.addAll(List.of(extraArgs));
    Path log = directory.resolve("agent.log");
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(directory.resolve("agent.log").toFile()));
    builder.environment().putAll(variables);
    Process process = builder.start();
    return new AgentProcess(directory, process, logStart);
  }

  private void awaitServing() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Path socket = directory.resolve("berth.sock");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the agent exited at start:\n" + ownLog());
      }
      // Every listener is up once this agent says it started (not an earlier agent of the test);
      // the socket may answer a bit sooner.
      if (ownLog().contains("berth agent started")
          && Files.exists(socket)
          && Cli.onSocket(socket).run("node").exitCode() == 0) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException(
        "the agent did not serve within " + START_TIMEOUT + ":\n" + ownLog());
  }

  /** Waits for an agent that should exit by itself; returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the agent did not exit:\n" + log());
    }
    return process.exitValue();
  }

  /**
   * SIGKILL: no shutdown hook, nothing flushed; as a crash or an OOM kill would. Returns once the
   * process is gone, so that the next agent never starts beside a dying one.
   */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the agent was still alive 60 s after SIGKILL");
    }
  }

  /** SIGTERM, as systemd stops it; returns its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** The agent's process id, as its lock file and a refused restore name it. */
  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What this agent wrote to {@code agent.log}, without the agents before it. */
  String ownLog() {
    return logFrom(logStart);
  }

  /** {@code agent.log} whole: what every agent of the test wrote. */
  String log() {
    return logFrom(0);
  }

  private String logFrom(long start) {
    try {
      byte[] all = Files.readAllBytes(directory.resolve("agent.log"));
      int from = (int) Math.min(start, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        terminate();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      killLeftovers(directory);
    }
  }

  /** Every process whose command line names {@code directory}: services of the test's agents. */
  static List<ProcessHandle> processesUnder(Path directory) {
    String marker = directory.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .toList();
  }

  static void killLeftovers(Path directory) {
    for (ProcessHandle leftover : processesUnder(directory)) {
      leftover.destroyForcibly();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
