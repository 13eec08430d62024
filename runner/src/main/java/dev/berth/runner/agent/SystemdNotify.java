package dev.berth.runner.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd, under {@code Type=notify}, that the agent serves ({@code READY=1}) and that it
 * stops ({@code STOPPING=1}), with a status line for {@code systemctl status}.
 *
 * <p>sd_notify is a datagram to the unix socket named by {@code NOTIFY_SOCKET}, and Java 17 has
 * unix domain sockets for streams only. So the agent runs {@code systemd-notify}, which sends the
 * datagram, with {@code --pid} set to the JVM's: as root it sends the message with the JVM's pid in
 * its credentials, so that {@code NotifyAccess=main} accepts it (as another user the kernel refuses
 * that, systemd-notify sends it as itself, and only {@code NotifyAccess=all} accepts it). Without
 * {@code --no-block} systemd-notify returns once systemd has read the message, so the process is
 * still there to be looked up when systemd reads it.
 *
 * <p>A notification that fails is logged and the agent goes on serving: under {@code Type=notify}
 * systemd then stops the agent when {@code TimeoutStartSec} runs out, and says so in the journal.
 * (systemd-notify also fails when it sent the message but systemd did not confirm reading it within
 * 5 s: hence "may not know".)
 */
final class SystemdNotify {

  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);

  /** systemd-notify gives up waiting for systemd after 5 s; this leaves it room to say so. */
  static final Duration WAIT = Duration.ofSeconds(10);

  static final String PROGRAM = "systemd-notify";

  private final String socket;
  private final long pid;

  private SystemdNotify(String socket, long pid) {
    this.socket = socket;
    this.pid = pid;
  }

  /**
   * A notifier when {@code environment} has a {@code NOTIFY_SOCKET}: when systemd waits for one.
   */
  static Optional<SystemdNotify> fromEnvironment(Map<String, String> environment) {
    String socket = environment.get("NOTIFY_SOCKET");
    return socket == null || socket.isEmpty()
        ? Optional.empty()
        : Optional.of(new SystemdNotify(socket, ProcessHandle.current().pid()));
  }

  /** {@code READY=1} and {@code status}; returns once systemd has read it (or it failed). */
  void ready(String status) {
    if (send(List.of("--ready", "--status=" + status))) {
      LOG.debug("told systemd (NOTIFY_SOCKET {}) that the agent is ready", socket);
    } else {
      LOG.error(
          "systemd may not know that the agent is ready (the reason is above): the agent serves,"
              + " but if systemd got no READY=1, under Type=notify it stops the agent when"
              + " TimeoutStartSec runs out and restarts it as Restart= says (see"
              + " docs/running-on-a-node.md, Type=notify)");
    }
  }

  /** {@code STOPPING=1} and {@code status}, without waiting for systemd: a stop is not delayed. */
  void stopping(String status) {
    send(List.of("--no-block", "--status=" + status, "STOPPING=1"));
  }

  /** Runs systemd-notify with {@code arguments}; whether it said it sent them. */
  private boolean send(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(PROGRAM);
    command.add("--pid=" + pid);
    command.addAll(arguments);
    String shown = String.join(" ", command);
    // Not ChildProcesses: this is the one child that needs NOTIFY_SOCKET.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process process = builder.start();
      if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.error("'{}' did not finish within {} and was killed", shown, WAIT);
        return false;
      }
      if (process.exitValue() != 0) {
        // Its few lines fit the pipe: it exited without blocking on them.
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        LOG.error(
            "'{}' failed (status {}) sending to NOTIFY_SOCKET {}: {}",
            shown,
            process.exitValue(),
            socket,
            said.strip());
        return false;
      }
      return true;
    } catch (IOException e) {
      LOG.error("cannot run {} ({}): it comes with systemd", PROGRAM, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted while running '{}'", shown);
      return false;
    }
  }
}
