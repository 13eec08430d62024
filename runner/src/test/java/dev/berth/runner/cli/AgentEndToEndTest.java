package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as an operator runs it: a real {@code berth agent} JVM with a config file, real host
 * processes (busybox httpd) as services, and the CLI and the gRPC API over its unix socket.
 */
class AgentEndToEndTest {

  static final Path BUSYBOX = Path.of("/bin/busybox");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeEach
  void startAgent() throws IOException {
    assertThat(BUSYBOX)
        .as("busybox-static provides the test services; .ci/run installs it")
        .exists();
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = ""

        [runtimes]
        enabled = ["process"]

        [reconcile]
        relist_period = "2s"
        """);
    Files.createDirectories(directory.resolve("services"));
    Files.createDirectories(directory.resolve("www"));
    Files.writeString(directory.resolve("www/index.html"), "served by berth\n");
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterEach
  void stopAgent() {
    if (agent != null && agent.alive()) {
      for (String name : List.of("web", "api", "jobs", "db", "broken")) {
        cli.run("delete", name);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> AgentProcess.processesUnder(directory.resolve("www")).isEmpty());
    }
    if (agent != null) {
      agent.close();
    }
  }

  /** A service of one busybox httpd process, serving the test's www directory on its route. */
  void declare(String name) throws IOException {
    Files.writeString(
        directory.resolve("services/" + name + ".toml"),
        """
        name = "%s"

        [[components]]
        name = "httpd"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "echo %s starting; exec /bin/busybox httpd -f -v -p 127.0.0.1:$PORT_HTTP -h %s"]
        restart = "always"

        [[components.routes]]
        name = "http"
        port = 443
        mode = "l4"
        hostname = "%s.test.internal"
        """
            .formatted(name, name, directory.resolve("www"), name));
  }

  Cli.Run berth(String... args) {
    Cli.Run run = cli.run(args);
    return run;
  }

  AgentProto.Service status(String name) throws IOException {
    Cli.Run run = berth("status", name, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), service);
    return service.build();
  }

  List<AgentProto.Service> services() throws IOException {
    Cli.Run run = berth("status", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.ListServicesResponse.Builder all = AgentProto.ListServicesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), all);
    return all.getServicesList();
  }

  static int portOf(AgentProto.Service service) {
    return service.getComponents(0).getPorts(0).getHostPort();
  }

  static String get(int port) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static boolean answers(int port) {
    try {
      get(port);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The httpd processes running now, by service, from their command lines. */
  Map<String, Long> httpdsByService() {
    return AgentProcess.processesUnder(directory.resolve("www")).stream()
        .filter(p -> p.info().command().map(c -> c.endsWith("busybox")).orElse(false))
        .collect(
            Collectors.groupingBy(
                p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("?"),
                Collectors.counting()));
  }

  @Test
  void anAppliedServiceRunsAndAnswersOnItsRoutePort() throws Exception {
    declare("web");

    Cli.Run applied = berth("apply", "-f", directory.resolve("services").toString(), "--wait");

    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("web created (generation 1)").contains("converged");
    Cli.Run table = berth("status");
    assertThat(table.outLines().get(0))
        .startsWith("SERVICE  COMPONENT  RUNTIME  STATE    VERSION  UPTIME  PORTS");
    assertThat(table.outLines().get(1))
        .matches("web +httpd +process +running +- +\\d+s +127\\.0\\.0\\.1:\\d+->\\d+ \\(http\\)");
    assertThat(get(portOf(status("web")))).isEqualTo("served by berth\n");
  }

  @Test
  void logsShowTheServicesOutput() throws Exception {
    declare("web");
    berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    get(portOf(status("web")));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> berth("logs", "web", "-n", "50").out(), out -> out.contains("web starting"));
  }

  @Test
  void stopStartRestartAndDeleteDoWhatTheySay() throws Exception {
    declare("web");
    berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    AgentProto.Service running = status("web");
    int port = portOf(running);
    String workload = running.getComponents(0).getWorkloadId();

    assertThat(berth("stop", "web").exitCode()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> !answers(port));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status("web").getComponents(0).getState(), "stopped"::equals);

    assertThat(berth("start", "web").exitCode()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
    assertThat(status("web").getComponents(0).getWorkloadId()).isEqualTo(workload);

    Cli.Run restarted = berth("restart", "web");
    assertThat(restarted.exitCode()).as(restarted.err()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
    assertThat(berth("events", "web").out()).contains("Restarted");

    assertThat(berth("delete", "web").exitCode()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> httpdsByService().isEmpty());
    assertThat(berth("status", "web").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void afterKillDashNineTheNextAgentRunsTheSameServicesAndNoneTwice() throws Exception {
    for (String name : List.of("web", "api", "jobs")) {
      declare(name);
    }
    berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    Map<String, String> workloads =
        services().stream()
            .collect(
                Collectors.toMap(
                    s -> s.getSpec().getName(), s -> s.getComponents(0).getWorkloadId()));
    Map<String, Long> before = httpdsByService();
    assertThat(before).hasSize(3).allSatisfy((command, count) -> assertThat(count).isEqualTo(1));

    agent.kill9();
    assertThat(httpdsByService()).as("services outlive their agent").isEqualTo(before);
    agent = AgentProcess.start(directory);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                services().stream().allMatch(s -> s.getComponents(0).getState().equals("running")));
    // Two relists later, still one process per service, and the same ones.
    Thread.sleep(4_500);
    assertThat(httpdsByService()).isEqualTo(before);
    assertThat(
            services().stream()
                .collect(
                    Collectors.toMap(
                        s -> s.getSpec().getName(), s -> s.getComponents(0).getWorkloadId())))
        .isEqualTo(workloads);
    for (AgentProto.Service service : services()) {
      assertThat(get(portOf(service))).isEqualTo("served by berth\n");
    }
  }

  @Test
  void anInvalidFileIsRefusedByTheCliWithItsFieldPathAndChangesNothing() throws Exception {
    declare("web");
    Files.writeString(
        directory.resolve("services/web.toml"),
        Files.readString(directory.resolve("services/web.toml"))
            .replace("port = 443", "port = 70000"));

    Cli.Run refused = berth("apply", "-f", directory.resolve("services").toString());

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err()).contains("web.toml: components[0].routes[0].port: must be 1..65535");
    assertThat(services()).isEmpty();
  }

  @Test
  void invalidInputThroughTheApiIsRefusedWithItsFieldPathAndChangesNothing() {
    AgentProto.ServiceSpec bad =
        AgentProto.ServiceSpec.newBuilder()
            .setName("web")
            .addComponents(
                AgentProto.ComponentSpec.newBuilder()
                    .setName("httpd")
                    .setRuntime("process")
                    .setExecutable("/bin/sh")
                    .addRoutes(
                        AgentProto.RouteSpec.newBuilder()
                            .setName("http")
                            .setPort(70000)
                            .setMode("l4")
                            .setHostname("web.test.internal")))
            .build();
    try (AgentConnection connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(10))) {
      StatusRuntimeException refused = null;
      try {
        connection.call().apply(AgentProto.ApplyRequest.newBuilder().addServices(bad).build());
      } catch (StatusRuntimeException e) {
        refused = e;
      }

      assertThat(refused).isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription())
          .contains("services[web].components[0].routes[0].port: must be 1..65535");
      assertThat(
              connection
                  .call()
                  .listServices(AgentProto.ListServicesRequest.getDefaultInstance())
                  .getServicesList())
          .isEmpty();
    }
  }

  @Test
  void sigtermStopsTheAgentButNotItsServices() throws Exception {
    declare("web");
    berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    int port = portOf(status("web"));

    int exit = agent.terminate();

    assertThat(exit).isIn(0, 143);
    assertThat(agent.log()).contains("berth agent stopped");
    assertThat(Files.exists(directory.resolve("berth.sock"))).isFalse();
    assertThat(answers(port)).isTrue();
    agent = AgentProcess.start(directory);
    // Running once this agent has looked: what the last one saw is no news of now.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status("web").getComponents(0).getState(), "running"::equals);
  }

  /** The test's config with boot stages: {@code data} (db) before {@code apps} (web). */
  void configureStages() throws IOException {
    Files.writeString(
        directory.resolve("berth.toml"),
        Files.readString(directory.resolve("berth.toml"))
            + """

            [[stages]]
            name = "data"
            services = ["db"]
            probe = "tcp"

            [[stages]]
            name = "apps"
            services = ["web"]
            """);
  }

  /** Like {@link #declare}, but the process exits at once unless {@code flag} exists. */
  void declareGuarded(String name, Path flag) throws IOException {
    declare(name);
    Path file = directory.resolve("services/" + name + ".toml");
    Files.writeString(
        file,
        Files.readString(file).replace("echo " + name + " starting;", "test -f " + flag + " &&"));
  }

  @Test
  void aServiceHeldByABootStageAfterAKillNeverShowsTheRunningTheEarlierAgentSaw() throws Exception {
    agent.terminate();
    configureStages();
    Path flag = Files.writeString(directory.resolve("db-may-start"), "");
    declareGuarded("db", flag);
    declare("web");
    agent = AgentProcess.start(directory);
    Cli.Run applied = berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(status("web").getComponents(0).getState()).isEqualTo("running");

    // The agent dies; behind its back web's process dies too and db can no longer start, so the
    // next agent holds web behind stage data, with no process of web anywhere.
    agent.kill9();
    Files.delete(flag);
    AgentProcess.processesUnder(directory.resolve("www")).forEach(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> httpdsByService().isEmpty());
    agent = AgentProcess.start(directory);

    AgentProto.Service held =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  AgentProto.Service web = status("web");
                  var component = web.getComponents(0);
                  assertThat(component.getState())
                      .as("what the earlier agent saw is never shown as now")
                      .isNotEqualTo("running");
                  assertThat(component.getUptimeSeconds()).isZero();
                  assertThat(web.getConditionsList())
                      .noneMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
                  return web;
                },
                web -> web.getComponents(0).getState().equals("waiting"));
    assertThat(held.getComponents(0).getMessage()).startsWith("waits for boot stage data: ");
    assertThat(held.getConditionsList())
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("WaitingForStage");
              assertThat(ready.getMessage()).startsWith("waits for boot stage data: ");
            });
    Cli.Run table = berth("status");
    assertThat(table.out()).containsPattern("web +httpd +process +waiting +- +- ");

    // Once db can start, its stage passes and web runs again.
    Files.writeString(flag, "");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> status("web").getComponents(0).getState(), "running"::equals);
  }

  @Test
  void applyWaitFailsAtOnceOnATerminalReasonAndPrintsIt() throws Exception {
    // Looked up on the PATH when it starts: the agent cannot refuse it at apply (an absolute path
    // that does not exist it refuses, see AgentApplyRulesTest).
    String missing = "no-such-program-on-path";
    Files.writeString(
        directory.resolve("services/broken.toml"),
        """
        name = "broken"

        [[components]]
        name = "app"
        runtime = "process"
        executable = "%s"
        """
            .formatted(missing));

    Cli.Run applied =
        berth(
            "apply", "-f", directory.resolve("services").toString(), "--wait", "--timeout", "60s");

    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(applied.err())
        .startsWith("error: broken failed after ")
        .contains(": app: ")
        .contains("create broken_app failed: ")
        .contains(missing);
    var app = status("broken").getComponents(0);
    assertThat(app.getTerminal()).isTrue();
    assertThat(applied.err()).contains("app: " + app.getState() + " (");
  }

  @Test
  void aKilledProcessAndTheRemovalOfADeletedServicesWorkloadAreTraceable() throws Exception {
    declare("web");
    berth("apply", "-f", directory.resolve("services").toString(), "--wait");
    String workload = status("web").getComponents(0).getWorkloadId();

    AgentProcess.processesUnder(directory.resolve("www")).forEach(ProcessHandle::destroyForcibly);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(berth("events", "web").out())
                    .containsPattern(
                        "Warning +web/httpd +Killed: "
                            + workload
                            + " killed by signal 9 \\(SIGKILL\\)")
                    .contains("Restarted: started " + workload + " again")
                    .doesNotContain("on its own"));

    assertThat(berth("delete", "web").exitCode()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> httpdsByService().isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            agent::log,
            log ->
                log.contains(
                    "web/httpd: removed " + workload + ": the service is no longer declared"));
  }
}
