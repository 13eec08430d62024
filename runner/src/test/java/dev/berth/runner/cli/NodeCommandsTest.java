package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** recover, routes and node: what they ask and how they print it. */
class NodeCommandsTest extends FakeAgentTest {

  @Test
  void recoverSaysHowManyServicesWereQueued() {
    agent.recover = AgentProto.RecoverResponse.newBuilder().setServices(3).build();

    Cli.Run run = cli.run("recover");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("queued 3 services for reconciling\n");
  }

  @Test
  void statusIgnoredListsTheWorkloadsThatAreNotThisRegistrys() throws Exception {
    agent.node =
        AgentProto.NodeStatusResponse.newBuilder()
            .setNode("node-1")
            .setIgnoredWorkloads(2)
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder()
                    .setRuntime("podman")
                    .setId("4f1c2a9e0b7d")
                    .setName("legacy-db")
                    .setKind("container")
                    .setImage("docker.io/library/redis:7.2")
                    .setState("running"))
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder()
                    .setRuntime("podman")
                    .setId("9a8b7c6d5e4f")
                    .setName("shop_web")
                    .setKind("container")
                    .setImage("example.net/shop:2.1")
                    .setState("running")
                    .setOwnerRegistry("3c9e51a0"))
            .build();

    Cli.Run run = cli.run("status", "--ignored");

    assertThat(run.exitCode()).isZero();
    List<String> expected =
        List.of(
            "RUNTIME  ID            NAME       KIND       IMAGE                        STATE   "
                + " MADE BY",
            "podman   4f1c2a9e0b7d  legacy-db  container  docker.io/library/redis:7.2  running "
                + " -",
            "podman   9a8b7c6d5e4f  shop_web   container  example.net/shop:2.1         running "
                + " registry 3c9e51a0");
    assertThat(run.outLines()).containsExactlyElementsOf(expected);
    // docs/cli.md shows this very table.
    assertThat(Files.readString(StatusDocTest.DOC))
        .contains("$ berth status --ignored\n" + String.join("\n", expected));
  }

  @Test
  void statusIgnoredSaysSoWhenThereAreNone() {
    agent.node = AgentProto.NodeStatusResponse.newBuilder().setNode("node-1").build();

    assertThat(cli.run("status", "--ignored").out()).isEqualTo("no ignored workloads\n");
  }

  @Test
  void statusIgnoredWithAServiceIsAUsageError() {
    Cli.Run run = cli.run("status", "web", "--ignored");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--ignored lists workloads, not a service");
  }

  @Test
  void routesAreATableOfEveryRouteWithWhyOneIsNotServed() throws Exception {
    agent.routes =
        AgentProto.ListRoutesResponse.newBuilder()
            .addRoutes(
                AgentProto.Route.newBuilder()
                    .setService("mqtt")
                    .setComponent("broker")
                    .setRoute("tls")
                    .setMode("l4")
                    .setHostname("*.mqtt.example.net")
                    .setListenPort(8883)
                    .setBackend("127.0.0.1:10001")
                    .setReason("the proxy does not serve it now"))
            .addRoutes(
                AgentProto.Route.newBuilder()
                    .setService("shop")
                    .setComponent("web")
                    .setRoute("https")
                    .setMode("l7")
                    .setHostname("shop.example.com")
                    .setListenPort(443)
                    .setBackend("127.0.0.1:10002")
                    .setReason("waiting for its certificate: requested"))
            .addRoutes(
                AgentProto.Route.newBuilder()
                    .setService("web")
                    .setComponent("app")
                    .setRoute("https")
                    .setMode("l7")
                    .setHostname("web.example.net")
                    .setListenPort(443)
                    .setBackend("127.0.0.1:10000")
                    .setServed(true))
            .build();

    Cli.Run run = cli.run("routes");

    List<String> expected =
        List.of(
            "SERVICE  COMPONENT  ROUTE  MODE  HOSTNAME            LISTEN  BACKEND          SERVED "
                + " REASON",
            "mqtt     broker     tls    l4    *.mqtt.example.net  8883    127.0.0.1:10001  no     "
                + " the proxy does not serve it now",
            "shop     web        https  l7    shop.example.com    443     127.0.0.1:10002  no     "
                + " waiting for its certificate: requested",
            "web      app        https  l7    web.example.net     443     127.0.0.1:10000  yes    "
                + " -");
    assertThat(run.outLines()).containsExactlyElementsOf(expected);
    // docs/cli.md shows this very table.
    assertThat(Files.readString(StatusDocTest.DOC)).contains(String.join("\n", expected));
  }

  @Test
  void routesAsJson() throws Exception {
    agent.routes =
        AgentProto.ListRoutesResponse.newBuilder()
            .addRoutes(
                AgentProto.Route.newBuilder().setService("web").setRoute("https").setServed(true))
            .build();

    Cli.Run run = cli.run("routes", "--json");

    AgentProto.ListRoutesResponse.Builder parsed = AgentProto.ListRoutesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.routes);
  }

  @Test
  void noRoutesSaysSo() {
    assertThat(cli.run("routes").out()).isEqualTo("no routes are declared\n");
  }

  @Test
  void nodeShowsTheAgentItsCountsStagesAndLoops() {
    agent.node =
        AgentProto.NodeStatusResponse.newBuilder()
            .setVersion("0.1.0")
            .setNode("node-1")
            .setStartedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - 7500))
            .addRuntimes(
                AgentProto.RuntimeInfo.newBuilder().setName("podman").addKinds("container"))
            .addRuntimes(AgentProto.RuntimeInfo.newBuilder().setName("process").addKinds("process"))
            .setServices(2)
            .setComponents(5)
            .putComponentsByState("running", 4)
            .putComponentsByState("exited", 1)
            .addStages(
                AgentProto.BootStage.newBuilder()
                    .setName("data")
                    .setPhase("passed")
                    .addServices("db"))
            .addStages(
                AgentProto.BootStage.newBuilder()
                    .setName("apps")
                    .setPhase("starting")
                    .addServices("web")
                    .addServices("api")
                    .setReason("waiting for web"))
            .addLoops(
                AgentProto.LoopHealth.newBuilder().setName("services").setHealthy(true).setDepth(0))
            .addLoops(
                AgentProto.LoopHealth.newBuilder()
                    .setName("certificates")
                    .setHealthy(false)
                    .setDepth(2)
                    .setDetail("ACME directory unreachable"))
            .setReady(false)
            .setHealthy(true)
            .setRegistry("4be0c3d2-5b0e-4d55-9c8f-2f4f3d1e7a10")
            .setIgnoredWorkloads(3)
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder()
                    .setRuntime("podman")
                    .setId("1a")
                    .setName("x"))
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder()
                    .setRuntime("podman")
                    .setId("2b")
                    .setOwnerRegistry("9d0f6a1e-7c11-4b2e-8d55-0e3a2b6c4f18"))
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder()
                    .setRuntime("process")
                    .setId("3c")
                    .setOwnerRegistry("9d0f6a1e-7c11-4b2e-8d55-0e3a2b6c4f18"))
            .build();

    Cli.Run run = cli.run("node");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("node        node-1\nversion     0.1.0\nstarted     ")
        .contains("(up 2h5m)\nready       no\nhealthy     yes\n")
        .contains("registry    4be0c3d2-5b0e-4d55-9c8f-2f4f3d1e7a10\n")
        .contains("runtimes    podman (container), process (process)\n")
        .contains("services    2\ncomponents  5 (exited 1, running 4)\n")
        .contains("ignored     3 workloads not this registry's (never touched)\n")
        .contains(
            "Made by another registry (never touched; `berth adopt REGISTRY` hands them over):\n"
                + "  REGISTRY                              WORKLOADS\n"
                + "  9d0f6a1e-7c11-4b2e-8d55-0e3a2b6c4f18  2\n")
        .doesNotContain("Faults:")
        .contains(
            "Boot stages:\n"
                + "  STAGE  PHASE     SERVICES  REASON\n"
                + "  data   passed    db        -\n"
                + "  apps   starting  web,api   waiting for web\n")
        .contains(
            "Loops:\n"
                + "  LOOP          HEALTHY  QUEUED  DETAIL\n"
                + "  services      yes      0       -\n"
                + "  certificates  no       2       ACME directory unreachable\n");
  }

  @Test
  void nodeListsEveryFaultUnderItsHealth() {
    agent.node =
        AgentProto.NodeStatusResponse.newBuilder()
            .setNode("node-1")
            .setHealthy(false)
            .addFaults("proxy down: nginx's master (pid 7) is gone")
            .addFaults("registry: the registry file /d/registry.mv.db was removed")
            .build();

    Cli.Run run = cli.run("node");

    assertThat(run.out())
        .containsPattern("healthy +no\n")
        .contains(
            "Faults:\n"
                + "  proxy down: nginx's master (pid 7) is gone\n"
                + "  registry: the registry file /d/registry.mv.db was removed\n");
  }

  @Test
  void nodeAsJson() throws Exception {
    agent.node =
        AgentProto.NodeStatusResponse.newBuilder().setNode("node-1").setReady(true).build();

    Cli.Run run = cli.run("node", "--json");

    AgentProto.NodeStatusResponse.Builder parsed = AgentProto.NodeStatusResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.node);
  }
}
