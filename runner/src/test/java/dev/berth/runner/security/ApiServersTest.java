package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServersTest {

  private static final String OPS = "CN=ops,O=example";
  private static final String TOKEN = "5f0c1a9e2b7d4c3f8a6e1b0d9c2f7a4e";

  @TempDir Path directory;

  private final TestClients clients = new TestClients();
  private final HealthStatusManager health = new HealthStatusManager();
  private final TestPki pki = TestPki.create("CN=Berth Test CA");
  private ApiServers servers;

  @AfterEach
  void closeEverything() {
    clients.close();
    if (servers != null) {
      servers.close();
    }
  }

  private TcpSettings mutualTls(InetSocketAddress address) throws IOException {
    TestPki.PemFiles server = pki.issueServer("127.0.0.1").writeTo(directory, "server");
    return TcpSettings.mutualTls(
        address,
        new TlsSettings(
            server.certificateChain(),
            server.privateKey(),
            pki.writeCaCertificate(directory.resolve("ca.pem")),
            List.of(OPS)));
  }

  @Test
  void servesTheSameServicesOnTheSocketAndOverMutualTls() throws IOException {
    Path socket = directory.resolve("berth.sock");
    servers =
        ApiServers.builder(
                ListenSettings.unixSocket(socket)
                    .withTcp(mutualTls(new InetSocketAddress("127.0.0.1", 0))))
            .addService(health.getHealthService())
            .start();
    ManagedChannel overTls =
        clients.tls(
            servers.tcpAddress().orElseThrow(),
            directory.resolve("ca.pem"),
            pki.issueClient(OPS).writeTo(directory, "ops"));

    assertThat(TestClients.check(clients.unixSocket(socket))).isEqualTo(ServingStatus.SERVING);
    assertThat(TestClients.check(overTls)).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void runsTheCallersInterceptorsInOrderAndOnlyForAdmittedCalls() throws IOException {
    Path socket = directory.resolve("berth.sock");
    List<String> seen = new CopyOnWriteArrayList<>();
    servers =
        ApiServers.builder(
                ListenSettings.unixSocket(socket).withTokenFile(TokenFiles.write(directory, TOKEN)))
            .addService(health.getHealthService())
            .intercept(recording("first", seen))
            .intercept(recording("second", seen))
            .start();
    ManagedChannel channel = clients.unixSocket(socket);

    TestClients.checkFails(channel, null);
    assertThat(seen).isEmpty();

    TestClients.check(channel, new BearerTokenCredentials(TOKEN));
    assertThat(seen).containsExactly("first", "second");
  }

  @Test
  void stopsTheListenersAlreadyStartedWhenALaterOneFails() throws IOException {
    Path socket = directory.resolve("berth.sock");
    try (ApiServers taken =
        ApiServers.builder(
                ListenSettings.tcp(TcpSettings.insecure(new InetSocketAddress("127.0.0.1", 0))))
            .start()) {
      InetSocketAddress takenAddress = taken.tcpAddress().orElseThrow();

      assertThatThrownBy(
              () ->
                  ApiServers.builder(
                          ListenSettings.unixSocket(socket)
                              .withTcp(TcpSettings.insecure(takenAddress)))
                      .addService(health.getHealthService())
                      .start())
          .isInstanceOf(BindException.class);
    }
    assertThat(Files.exists(socket)).isFalse();
    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void cutsCallsStillOpenAfterTheGracePeriod() throws IOException {
    Path socket = directory.resolve("berth.sock");
    servers =
        ApiServers.builder(ListenSettings.unixSocket(socket))
            .addService(health.getHealthService())
            .start();
    AtomicBoolean answered = new AtomicBoolean();
    AtomicReference<Status> ended = new AtomicReference<>();
    // A health watch stays open until the server ends it.
    HealthGrpc.newStub(clients.unixSocket(socket))
        .watch(HealthCheckRequest.getDefaultInstance(), record(answered, ended));
    await().untilTrue(answered);

    long start = System.nanoTime();
    servers.shutdown(Duration.ofMillis(200));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> ended.get() != null);
    assertThat(ended.get().isOk()).isFalse();
    assertThat(socket).doesNotExist();
  }

  private static StreamObserver<HealthCheckResponse> record(
      AtomicBoolean answered, AtomicReference<Status> ended) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HealthCheckResponse value) {
        answered.set(true);
      }

      @Override
      public void onError(Throwable t) {
        ended.set(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended.set(Status.OK);
      }
    };
  }

  private static ServerInterceptor recording(String name, List<String> seen) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        seen.add(name);
        return next.startCall(call, headers);
      }
    };
  }
}
