package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runner.config.PrivatePaths;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent under {@code Type=notify}, systemd played by a unix datagram socket in {@code
 * NOTIFY_SOCKET} (Python's, since Java 17 has no unix datagram sockets): it says READY=1 once it
 * answers, with its own pid as sender (what NotifyAccess=main checks), STOPPING=1 on SIGTERM, and
 * the processes it starts never see the socket (nor the socket-activation and watchdog variables).
 */
class SystemdReadinessTest {

  /**
   * Binds the socket with SO_PASSCRED (the sender's pid comes with each datagram, as systemd gets
   * it) and prints one line per datagram: the pid, a space, the message with '|' for newlines. It
   * closes the descriptors that come with a datagram (systemd-notify's barrier waits for that).
   */
  private static final String LISTENER =
      """
      import array, os, socket, struct, sys
      s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
      s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
      s.bind(sys.argv[1])
      print("listening", flush=True)
      while True:
          data, ancillary, _, _ = s.recvmsg(65536, 1024)
          pid = -1
          for level, kind, payload in ancillary:
              if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                  pid = struct.unpack("3i", payload[:12])[0]
              elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                  fds = array.array("i")
                  fds.frombytes(payload[: len(payload) - len(payload) % 4])
                  for fd in fds:
                      os.close(fd)
          print(pid, data.decode().replace("\\n", "|"), flush=True)
      """;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path directory;
  private Process listener;
  private final BlockingQueue<String> datagrams = new LinkedBlockingQueue<>();
  private AgentProcess agent;
  private Cli cli;

  /** One datagram the listener got: who sent it and what it said. */
  record Datagram(long senderPid, List<String> lines) {

    static Datagram parse(String printed) {
      int space = printed.indexOf(' ');
      return new Datagram(
          Long.parseLong(printed.substring(0, space)),
          List.of(printed.substring(space + 1).split("\\|")));
    }
  }

  @BeforeEach
  void startListener() throws IOException, InterruptedException {
    Optional<Path> python = onPath("python3");
    assumeTrue(
        python.isPresent(),
        "no python3 on the PATH: it plays systemd's notify socket (Java 17 has no unix datagram"
            + " sockets); .ci/run installs it");
    assumeTrue(
        onPath("systemd-notify").isPresent(),
        "no systemd-notify on the PATH (package systemd): the agent sends its readiness with it");
    listener =
        new ProcessBuilder(python.get().toString(), "-c", LISTENER, notifySocket().toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Thread reader = new Thread(this::readDatagrams, "notify-listener");
    reader.setDaemon(true);
    reader.start();
    assertThat(datagrams.poll(30, TimeUnit.SECONDS)).isEqualTo("listening");
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
  }

  private Path notifySocket() {
    return directory.resolve("notify.sock");
  }

  /**
   * An agent as systemd starts a Type=notify unit, socket activation and watchdog variables too.
   */
  private void launchAgent(Path notifySocket) throws IOException {
    agent =
        AgentProcess.launch(
            directory,
            Map.of(
                "NOTIFY_SOCKET", notifySocket.toString(),
                "LISTEN_FDS", "1",
                "LISTEN_PID", "1",
                "LISTEN_FDNAMES", "api",
                "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", "1"));
  }

  @AfterEach
  void stopAgentAndListener() throws InterruptedException {
    if (agent != null) {
      if (agent.alive()) {
        cli.run("delete", "envdump");
      }
      agent.close();
    }
    if (listener != null) {
      listener.destroyForcibly();
      listener.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readyComesOnceTheAgentAnswersFromTheAgentsPidAndStoppingOnSigterm()
      throws IOException, InterruptedException {
    launchAgent(notifySocket());
    Datagram ready = awaitDatagram("READY=1");

    // Nothing retried: the API answers at the moment systemd would let `systemctl start` return.
    assertThat(agent.ownLog()).contains("berth agent started");
    assertThat(cli.run("node").exitCode()).isZero();
    assertThat(ready.lines())
        .contains(
            "MAINPID=" + agent.pid(),
            "STATUS=serving the API on " + directory.resolve("berth.sock"));
    if (PrivatePaths.runningAsRoot()) {
      // As root systemd-notify sends with the JVM's pid: NotifyAccess=main accepts that.
      assertThat(ready.senderPid()).isEqualTo(agent.pid());
    }

    assertThat(agent.terminate()).isEqualTo(143);
    Datagram stopping = awaitDatagram("STOPPING=1");
    assertThat(stopping.lines()).contains("STATUS=stopping; services keep running");
  }

  @Test
  void aProcessTheAgentStartsDoesNotInheritTheSocketOrTheOtherVariables() throws Exception {
    launchAgent(notifySocket());
    awaitDatagram("READY=1");
    Path dump = directory.resolve("env.txt");
    Path file =
        Files.writeString(
            directory.resolve("envdump.toml"),
            """
            name = "envdump"

            [[components]]
            name = "app"
            runtime = "process"
            executable = "/bin/sh"
            cmd = ["-c", "env > \\"$0/env.tmp\\" && mv \\"$0/env.tmp\\" \\"$0/env.txt\\"; \
            while true; do sleep 1; done", "%s"]
            """
                .formatted(directory));

    assertThat(cli.run("apply", "-f", file.toString()).exitCode()).isZero();

    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dump));
    List<String> names =
        Files.readAllLines(dump).stream()
            .filter(line -> line.contains("="))
            .map(line -> line.substring(0, line.indexOf('=')))
            .toList();
    assertThat(names).contains("PATH").doesNotContain(notInherited());
  }

  @Test
  void aNotificationThatFailsIsLoggedSayingWhatFollowsAndTheAgentServesOn() throws Exception {
    Path nobody = directory.resolve("nobody.sock");
    launchAgent(nobody);

    await()
        .atMost(START_TIMEOUT)
        .until(() -> !agent.alive() || agent.ownLog().contains("systemd may not know"));
    assertThat(agent.ownLog())
        .contains("sending to NOTIFY_SOCKET " + nobody)
        .contains("under Type=notify it stops the agent when TimeoutStartSec runs out");
    assertThat(cli.run("node").exitCode()).isZero();
    assertThat(agent.alive()).isTrue();
  }

  private static String[] notInherited() {
    return new String[] {
      "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID"
    };
  }

  /** The first datagram that has {@code line}, skipping others (the barrier, say). */
  private Datagram awaitDatagram(String line) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    List<String> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String printed = datagrams.poll(100, TimeUnit.MILLISECONDS);
      if (printed != null) {
        Datagram datagram = Datagram.parse(printed);
        if (datagram.lines().contains(line)) {
          return datagram;
        }
        skipped.add(printed);
      } else if (!agent.alive() && line.equals("READY=1")) {
        throw new IllegalStateException("the agent exited at start:\n" + agent.ownLog());
      }
    }
    throw new AssertionError(
        "no " + line + " within " + START_TIMEOUT + "; got " + skipped + "\n" + agent.ownLog());
  }

  private void readDatagrams() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        datagrams.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
