package dev.berth.bench.agent;

import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code berth agent} JVM, started as an operator starts it ({@code java <options> -jar
 * berth.jar agent --config <dir>/berth.toml}, in its directory) and stopped with SIGTERM, as
 * systemd stops it. Its output goes to {@code agent.log} in its directory.
 */
final class AgentJvm {

  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern STARTED_MS = Pattern.compile("berth agent started .* ms=\"(\\d+)\"");

  private final Path directory;
  private final Process process;
  private final long launchedNanos;

  /** Where this agent's output starts in agent.log, which earlier agents of the directory wrote. */
  private final long logStart;

  private AgentJvm(Path directory, Process process, long launchedNanos, long logStart) {
    this.directory = directory;
    this.process = process;
    this.launchedNanos = launchedNanos;
    this.logStart = logStart;
  }

  /**
   * Writes the agent's configuration into {@code directory} (kept across launches, so that a
   * restarted agent finds its registry) and launches it. The clock of {@link #awaitServing} starts
   * here, right before the process is created.
   */
  static AgentJvm launch(
      Path java, Path jar, JvmOptionSet options, Path directory, Teardown teardown)
      throws IOException {
    Files.createDirectories(directory);
    Path config = directory.resolve("berth.toml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "# written by AgentFootprint: the process runtime only, no metrics endpoint",
            "data_dir = \"" + directory.resolve("data") + "\"",
            "[api]",
            "socket = \"" + socket(directory) + "\"",
            "[metrics]",
            "listen = \"\"",
            "[runtimes]",
            "enabled = [\"process\"]",
            ""));
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(options.options());
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of("agent", "--config", config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(directory.resolve("agent.log").toFile()));
    Path log = directory.resolve("agent.log");
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    long launched = System.nanoTime();
    return new AgentJvm(directory, teardown.start(builder), launched, logStart);
  }

  static Path socket(Path directory) {
    return directory.resolve("berth.sock");
  }

  long pid() {
    return process.pid();
  }

  Path socket() {
    return socket(directory);
  }

  /**
   * Polls NodeStatus every 10 ms until it answers; returns the time from launch to that answer.
   *
   * @throws IllegalStateException when the agent exits or does not serve within 60 s
   */
  Duration awaitServing(AgentClient client) throws InterruptedException {
    long deadline = launchedNanos + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the agent exited with " + process.exitValue() + " before it served:\n" + log());
      }
      if (Files.exists(socket())) {
        Optional<AgentProto.NodeStatusResponse> status = client.tryNodeStatus(socket());
        if (status.isPresent()) {
          return Duration.ofNanos(System.nanoTime() - launchedNanos);
        }
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException(
        "the agent did not serve within " + START_TIMEOUT + ":\n" + log());
  }

  /**
   * Polls NodeStatus every 50 ms until the node reports ready (every loop reconciled all it listed
   * once); returns the time from launch.
   */
  Duration awaitReady(AgentClient.Connection connection) throws InterruptedException {
    long deadline = launchedNanos + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (connection.nodeStatus().getReady()) {
        return Duration.ofNanos(System.nanoTime() - launchedNanos);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the agent was not ready within " + START_TIMEOUT);
  }

  /**
   * The agent's own start time, the {@code ms=} of its "berth agent started" line: from entering
   * {@code Agent.start} to serving, so without JVM start, class loading of main and config parsing.
   * Waits up to 5 s for the line, which is logged right after the API starts.
   */
  OptionalLong reportedStartMillis() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    do {
      Matcher matcher = STARTED_MS.matcher(log());
      if (matcher.find()) {
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return OptionalLong.empty();
  }

  /** SIGTERM, and SIGKILL if it has not exited within 30 s; returns how long it took. */
  Duration terminate() throws InterruptedException {
    long asked = System.nanoTime();
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      System.out.println("  ! the agent did not stop within " + STOP_TIMEOUT + "; killing it");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return Duration.ofNanos(System.nanoTime() - asked);
  }

  /** What this agent wrote to agent.log so far. */
  String log() {
    try {
      byte[] all = Files.readAllBytes(directory.resolve("agent.log"));
      int from = (int) Math.min(logStart, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
