package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.testing.TestPki;
import dev.berth.runner.security.TestClients;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may drive a real agent, over real connections: the unix socket, TCP with client certificates
 * checked against the allow list, the optional bearer token, plain TCP only when asked for; and
 * what it tells about itself (gRPC health and reflection, /metrics, /healthz, /readyz), and how it
 * refuses a bad configuration.
 */
class AgentSecurityEndToEndTest {

  static final String OPERATOR = "CN=ops,O=example";

  @TempDir Path directory;
  AgentProcess agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  void configure(String extra) throws IOException {
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [runtimes]
        enabled = ["process"]
        """
            + extra);
  }

  Cli.Run berth(String... args) {
    return Cli.plain().run(args);
  }

  /** Writes a CA, the agent's certificate for 127.0.0.1, and one client certificate per subject. */
  TestPki pki(String... clientSubjects) throws IOException {
    TestPki pki = TestPki.create("CN=berth test CA");
    pki.writeCaCertificate(directory.resolve("ca.pem"));
    pki.issueServer("127.0.0.1").writeTo(directory, "agent");
    for (int i = 0; i < clientSubjects.length; i++) {
      pki.issueClient(clientSubjects[i]).writeTo(directory, "client" + i);
    }
    return pki;
  }

  String mutualTls(int port, String extra) {
    return """

        [api]
        socket = "berth.sock"
        tcp = "127.0.0.1:%d"
        %s

        [api.tls]
        cert_file = "agent.pem"
        key_file = "agent-key.pem"
        client_ca_file = "ca.pem"
        allowed_subjects = ["%s"]
        """
        .formatted(port, extra, OPERATOR);
  }

  String[] overTls(int port, String client, String... command) {
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(
        List.of("--address", "127.0.0.1:" + port, "--ca", directory.resolve("ca.pem").toString()));
    if (client != null) {
      args.addAll(
          List.of(
              "--cert",
              directory.resolve(client + ".pem").toString(),
              "--key",
              directory.resolve(client + "-key.pem").toString()));
    }
    return args.toArray(String[]::new);
  }

  @Test
  void theUnixSocketIsOnlyForItsOwner() throws Exception {
    configure("");
    agent = AgentProcess.start(directory);

    assertThat(Files.getPosixFilePermissions(directory.resolve("berth.sock")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aClientCertificateOnTheAllowListMayCallAndOthersMayNot() throws Exception {
    int port = freePort();
    pki(OPERATOR, "CN=intruder,O=example");
    configure(mutualTls(port, ""));
    agent = AgentProcess.start(directory);

    Cli.Run allowed = berth(overTls(port, "client0", "node"));
    assertThat(allowed.exitCode()).as(allowed.err() + agent.log()).isZero();

    Cli.Run intruder = berth(overTls(port, "client1", "node"));
    assertThat(intruder.exitCode()).as(intruder.err()).isEqualTo(ExitCodes.DENIED);
    assertThat(intruder.err()).contains("CN=intruder");

    // The CLI will not even try without a certificate; a bare gRPC client can.
    try (TestClients clients = new TestClients()) {
      ManagedChannel anonymous =
          clients.tls(new InetSocketAddress("127.0.0.1", port), directory.resolve("ca.pem"), null);
      assertThat(TestClients.checkFails(anonymous, null).getStatus().getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void withATokenFileEveryCallMustBringTheToken() throws Exception {
    int port = freePort();
    pki(OPERATOR);
    Path token = directory.resolve("token");
    Files.writeString(token, "s3cret-token-for-the-e2e-test\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    configure(mutualTls(port, "token_file = \"token\""));
    agent = AgentProcess.launch(directory);
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.log().contains("berth agent started"));
    // (The unix socket asks for the token too, so the fixture's own readiness check cannot pass.)

    Cli.Run withoutToken = berth(overTls(port, "client0", "node"));
    assertThat(withoutToken.exitCode()).isEqualTo(ExitCodes.DENIED);

    Cli.Run withToken = berth(overTls(port, "client0", "node", "--token-file", token.toString()));
    assertThat(withToken.exitCode()).as(withToken.err()).isZero();

    Cli.Run socketWithoutToken =
        berth("node", "--socket", directory.resolve("berth.sock").toString());
    assertThat(socketWithoutToken.exitCode()).isEqualTo(ExitCodes.DENIED);
  }

  @Test
  void plainTcpIsRefusedUnlessAskedForAndThenWarnedAbout() throws Exception {
    int port = freePort();
    configure(
        """

        [api]
        socket = "berth.sock"
        tcp = "127.0.0.1:%d"
        """
            .formatted(port));

    AgentProcess refused = AgentProcess.launch(directory);
    assertThat(refused.awaitExit()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.log()).contains("api.tcp").contains("--insecure-listen");

    agent = AgentProcess.start(directory, "--insecure-listen");
    assertThat(agent.log()).containsPattern("WARN .*(unauthenticated|unencrypted)");
    assertThat(berth("node", "--address", "127.0.0.1:" + port, "--insecure").exitCode()).isZero();
  }

  @Test
  void aBadConfigurationIsRefusedAtStartWithItsKeyPath() throws Exception {
    configure(
        """

        [reconcile]
        workers = 0
        """);

    AgentProcess refused = AgentProcess.launch(directory);

    assertThat(refused.awaitExit()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.log()).contains("berth.toml: reconcile.workers: must be 1..64, was 0");
    assertThat(Files.exists(directory.resolve("data"))).as("nothing created").isFalse();
  }

  @Test
  void metricsHealthAndReadinessAreServedOnLoopback() throws Exception {
    int port = freePort();
    configure(
        """

        [api]
        socket = "berth.sock"

        [metrics]
        listen = "127.0.0.1:%d"
        """
            .formatted(port));
    agent = AgentProcess.start(directory);
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> metrics = get(http, port, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "workqueue_depth",
            "workqueue_adds_total",
            "workqueue_queue_duration_seconds",
            "workqueue_work_duration_seconds",
            "workqueue_unfinished_work_seconds",
            "workqueue_longest_running_processor_seconds",
            "workqueue_retries_total",
            "jvm_memory_used_bytes");
    assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(http, port, "/readyz").statusCode() == 200);
  }

  @Test
  void grpcHealthAndReflectionAnswerAsToolsExpect() throws Exception {
    configure("");
    agent = AgentProcess.start(directory);
    try (TestClients clients = new TestClients()) {
      ManagedChannel channel = clients.unixSocket(directory.resolve("berth.sock"));

      assertThat(TestClients.check(channel)).isEqualTo(ServingStatus.SERVING);
      assertThat(listServices(channel)).contains("berth.v1.AgentService", "grpc.health.v1.Health");
    }
  }

  static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> listServices(ManagedChannel channel) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    names.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable error) {
                    names.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    try {
      return names.get(10, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }
}
