package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.runner.agent.InstalledNginx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent JVM whose nginx dies behind its back and cannot be restarted: {@code /healthz} fails
 * with the reason and {@code berth routes} says the route is not served, until {@code berth
 * recover} restarts nginx once it can be. nginx runs through a wrapper that the test can make fail,
 * so that no restart can win a race against the test.
 */
class AgentNginxSupervisionTest {

  static final String HOSTNAME = "tools.berth.internal";
  static final String BODY = "hello from tools";

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;
  int listener;
  int metrics;
  Path broken;

  @BeforeEach
  void startAgent() throws Exception {
    InstalledNginx.require();
    // nginx started as root runs its workers unprivileged; they must reach the sockets under it.
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    listener = AdminEndpoint.freePort();
    metrics = AdminEndpoint.freePort();
    broken = directory.resolve("nginx-broken");
    Path wrapper = directory.resolve("nginx");
    Files.writeString(
        wrapper,
        """
        #!/bin/sh
        if [ -e "%s" ]; then echo "nginx: [emerg] broken by the test" >&2; exit 1; fi
        exec nginx "$@"
        """
            .formatted(broken));
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = "127.0.0.1:%d"

        [runtimes]
        enabled = ["process"]

        [routes]
        enabled = true
        nginx = "%s"
        listen_address = "127.0.0.1"
        stop_nginx_on_exit = true
        """
            .formatted(metrics, wrapper));
    Path site = Files.createDirectories(directory.resolve("www"));
    Files.writeString(site.resolve("index.html"), BODY);
    Path services = Files.createDirectories(directory.resolve("services"));
    Files.writeString(
        services.resolve("tools.toml"),
        """
        name = "tools"

        [[components]]
        name = "web"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h %s"]
        restart = "always"

        [[components.routes]]
        name = "https"
        port = %d
        mode = "l7"
        hostname = "%s"
        """
            .formatted(site, listener, HOSTNAME));
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", services.toString(), "--wait");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  @AfterEach
  void stopAgent() throws IOException {
    Files.deleteIfExists(broken);
    if (agent != null) {
      if (agent.alive()) {
        cli.run("delete", "tools");
      }
      // With stop_nginx_on_exit the agent takes nginx down with it.
      agent.close();
    }
  }

  @Test
  void whileNginxCannotBeRestartedHealthzFailsAndTheRouteIsNotServedUntilRecover()
      throws Exception {
    X509Certificate ca = localCa();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> TlsClient.trusting(ca).fetch(listener, HOSTNAME).contains(BODY));
    await().atMost(Duration.ofSeconds(10)).until(() -> served().orElse(false));
    assertThat(AdminEndpoint.healthz(metrics)).isEqualTo("200 ok");
    assertThat(routesTable()).contains("yes");

    Files.writeString(broken, "");
    master().destroyForcibly();

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> AdminEndpoint.healthz(metrics).contains("restarting it fails"));
    assertThat(AdminEndpoint.healthz(metrics))
        .startsWith("503 proxy down: nginx's master")
        .contains("is gone")
        .contains("restarting it fails")
        .contains("broken by the test");
    assertThat(served()).contains(false);
    assertThat(routesTable()).contains(HOSTNAME).doesNotContain("yes");
    assertThat(TlsClient.trusting(ca).fetch(listener, HOSTNAME)).startsWith("unreachable");
    assertThat(cli.run("events", "tools").out()).contains("ProxyDown").contains("RoutesFailed");

    Files.delete(broken);
    Cli.Run recovered = cli.run("recover");
    assertThat(recovered.exitCode()).as(recovered.err()).isZero();

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> TlsClient.trusting(ca).fetch(listener, HOSTNAME).contains(BODY));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> AdminEndpoint.healthz(metrics).equals("200 ok"));
    assertThat(served()).contains(true);
    assertThat(cli.run("events", "tools").out()).contains("ProxyRestarted");
  }

  @Test
  void aSecondAgentOnTheSameConfigIsRefusedBeforeItTouchesTheLiveAgentsNginx() throws Exception {
    X509Certificate ca = localCa();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> TlsClient.trusting(ca).fetch(listener, HOSTNAME).contains(BODY));
    long nginx = master().pid();

    AgentProcess second = AgentProcess.launch(directory);
    int exit = second.awaitExit();

    assertThat(exit).isEqualTo(1);
    assertThat(second.log()).contains("is locked by another process").contains("another agent");
    assertThat(master().pid()).as("the live agent's nginx, untouched").isEqualTo(nginx);
    assertThat(master().isAlive()).isTrue();
    assertThat(TlsClient.trusting(ca).fetch(listener, HOSTNAME)).contains(BODY);
    assertThat(agent.alive()).isTrue();
    assertThat(AdminEndpoint.healthz(metrics)).isEqualTo("200 ok");
  }

  /** SERVED of the one route, as {@code berth routes --json} gives it. */
  private java.util.Optional<Boolean> served() throws IOException {
    Cli.Run run = cli.run("routes", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.ListRoutesResponse.Builder routes = AgentProto.ListRoutesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), routes);
    return routes.getRoutesList().stream()
        .filter(route -> route.getHostname().equals(HOSTNAME))
        .map(AgentProto.Route::getServed)
        .findFirst();
  }

  private String routesTable() {
    Cli.Run run = cli.run("routes");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  private ProcessHandle master() throws IOException {
    Path pidFile = directory.resolve("data/nginx/run/nginx.pid");
    return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
  }

  private X509Certificate localCa() throws Exception {
    try (InputStream in = Files.newInputStream(directory.resolve("data/local-ca/ca.pem"))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
