package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth routes} of a real agent lists every declared route: one that waits for its
 * certificate shows SERVED {@code no} and why, rather than being left out, as docs/cli.md says.
 */
class RoutesEndToEndTest {

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeEach
  void startAgent() throws IOException {
    // No ACME, and the local CA off: no certificate can be had, so an L7 route stays blocked.
    AgentProcess.writeAgentConfig(
        directory, "", "\"process\"", "\n[certificates.local_ca]\nenabled = false\n");
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterEach
  void stopAgent() {
    if (agent != null && agent.alive()) {
      cli.run("delete", "shop");
    }
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void anL7RouteWaitingForItsCertificateIsListedAsNotServedWithTheReason() throws Exception {
    Path file = directory.resolve("shop.toml");
    Files.writeString(
        file,
        """
        name = "shop"

        [[components]]
        name = "web"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "exec sleep 600"]

        [[components.routes]]
        name = "https"
        port = 443
        mode = "l7"
        hostname = "shop.example.com"

        [[components.routes]]
        name = "mqtt"
        port = 8883
        mode = "l4"
        hostname = "mqtt.example.com"
        """);
    assertThat(cli.run("apply", "-f", file.toString()).exitCode()).isZero();

    AgentProto.ListRoutesResponse routes =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                this::routes,
                r -> r.getRoutesList().stream().anyMatch(route -> route.getRoute().equals("mqtt")));

    AgentProto.Route https = route(routes, "https");
    assertThat(https.getServed()).isFalse();
    assertThat(https.getHostname()).isEqualTo("shop.example.com");
    assertThat(https.getListenPort()).isEqualTo(443);
    assertThat(https.getReason()).startsWith("waiting for its certificate: ");
    assertThat(route(routes, "mqtt").getReason()).doesNotStartWith("waiting for its certificate");

    Cli.Run table = cli.run("routes");
    assertThat(table.exitCode()).isZero();
    List<String> lines = table.outLines();
    assertThat(lines.get(0))
        .isEqualTo(
            "SERVICE  COMPONENT  ROUTE  MODE  HOSTNAME          LISTEN  BACKEND          SERVED "
                + " REASON");
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("shop     web        https  l7    shop.example.com  443 ")
                    .contains("  no      waiting for its certificate: "));
    String doc = Files.readString(StatusDocTest.DOC);
    assertThat(doc).contains("SERVED  REASON").contains("  no      waiting for its certificate: ");
  }

  @Test
  void aPredecessorsRouteWithoutHostnameIsHandedToTheProxyAndListedWithADash() throws Exception {
    Path file = directory.resolve("legacy.toml");
    Files.writeString(
        file,
        """
        name = "legacy"

        [[components]]
        name = "tunnel"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "exec sleep 600"]

        [[components.routes]]
        port = 8884
        """);
    assertThat(cli.run("apply", "-f", file.toString()).exitCode()).isZero();

    AgentProto.Route route =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> route(routes(), "default"),
                r -> !r.getReason().startsWith("not handed to the proxy yet"));

    assertThat(route.getHostname()).as("a route that owns its whole port").isEmpty();
    // This agent has no [routes] section: no proxy, and the route says so.
    assertThat(route.getServed()).isFalse();
    assertThat(route.getReason())
        .isEqualTo(
            "no proxy on this node: routes are served with routes.enabled = true in the agent's"
                + " config");
    assertThat(Files.readString(StatusDocTest.DOC).replace("\n", " "))
        .contains(
            "`no proxy on this node: routes are served with routes.enabled = true in the agent's config`");
    assertThat(route.getMode()).isEqualTo("l4");
    assertThat(cli.run("routes").outLines())
        .anySatisfy(line -> assertThat(line).startsWith("legacy   tunnel     default  l4    -  "));
    assertThat(cli.run("delete", "legacy").exitCode()).isZero();
  }

  private AgentProto.ListRoutesResponse routes() throws IOException {
    Cli.Run run = cli.run("routes", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.ListRoutesResponse.Builder parsed = AgentProto.ListRoutesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    return parsed.build();
  }

  private static AgentProto.Route route(AgentProto.ListRoutesResponse routes, String name) {
    return routes.getRoutesList().stream()
        .filter(route -> route.getRoute().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route " + name + " in " + routes));
  }
}
