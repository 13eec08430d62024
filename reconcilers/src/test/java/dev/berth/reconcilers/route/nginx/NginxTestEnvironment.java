package dev.berth.reconcilers.route.nginx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx for the tests, run with the tests' own {@code -c} and {@code -p} directories on
 * 127.0.0.1; the system's nginx configuration is never read.
 *
 * <p>Where nginx (or its stream module) is missing the tests are skipped, saying why; but with
 * {@code CI=true} they fail instead, because CI installs nginx and a skip there would hide a broken
 * setup.
 */
public final class NginxTestEnvironment {

  private NginxTestEnvironment() {}

  /** Skips (or under CI fails) the tests unless nginx and its stream module are installed. */
  public static void requireNginx() {
    String version;
    try {
      Process process =
          new ProcessBuilder(NginxConfig.DEFAULT_BINARY, "-V").redirectErrorStream(true).start();
      version = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        cannotRun("nginx -V fails: " + version);
      }
    } catch (IOException e) {
      cannotRun("nginx is not installed (apt-get install nginx): " + e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (version.contains("--with-stream=dynamic")
        && !Files.isRegularFile(NginxConfig.DEFAULT_STREAM_MODULE)) {
      cannotRun(
          "nginx's stream module is not at "
              + NginxConfig.DEFAULT_STREAM_MODULE
              + " (apt-get install libnginx-mod-stream)");
    }
  }

  /**
   * Berth's directories under {@code root}, on 127.0.0.1. {@code root} is opened to everyone for
   * search: nginx started as root runs its workers as an unprivileged user, who must reach the unix
   * sockets and the ACME directory inside it (a JUnit temp directory is private).
   */
  public static NginxConfig.Builder config(Path root) throws IOException {
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    return NginxConfig.builder(root.resolve("conf"), root.resolve("prefix"))
        .listenAddress("127.0.0.1");
  }

  /** A port nothing listens on right now (the kernel's choice, so runs side by side differ). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Alive and not a zombie. A daemonized master that quit waits for init to reap it, and {@link
   * ProcessHandle#isAlive()} counts it alive until then.
   */
  /**
   * The master's workers once it has forked all of them: a start returns when the first runs, and
   * with {@code worker_processes auto} the rest follow within milliseconds.
   */
  public static List<ProcessHandle> settledWorkers(ProcessHandle master)
      throws InterruptedException {
    List<ProcessHandle> previous = master.children().toList();
    for (int attempt = 0; attempt < 50; attempt++) {
      Thread.sleep(200);
      List<ProcessHandle> current = master.children().toList();
      if (current.equals(previous)) {
        return current;
      }
      previous = current;
    }
    throw new AssertionError("nginx's workers kept changing for 10 s: " + previous);
  }

  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return process.isAlive();
    }
  }

  /**
   * Sends {@code signal}, as kill(1) names it ({@code -STOP}, {@code -CONT}), to {@code pids}; pids
   * that are gone by now are no failure.
   */
  public static void signal(String signal, List<Long> pids)
      throws IOException, InterruptedException {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
  }

  private static void cannotRun(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("nginx tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("nginx tests skipped: " + why);
  }
}
