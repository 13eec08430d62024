package dev.berth.probe.grpc;

import static dev.berth.reconcilers.probe.LocalPorts.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.probe.LocalPorts;
import dev.berth.reconcilers.probe.ProbeResult;
import dev.berth.reconcilers.probe.ProbeTarget;
import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.spec.model.ProbeType;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcHealthProberTest {

  /** For probes that are answered: long enough for a cold JVM's first call (class loading). */
  private static final Duration PATIENT = Duration.ofSeconds(5);

  /** For probes that must time out, and how soon. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final GrpcHealthProber prober = new GrpcHealthProber();
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<Server> servers = new ArrayList<>();
  private ServerSocket silent;

  @AfterEach
  void stopEverything() throws Exception {
    prober.close();
    health.enterTerminalState();
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (silent != null) {
      silent.close();
    }
  }

  @Test
  void aServingServerPasses() throws IOException {
    health.setStatus("", ServingStatus.SERVING);
    int port = start(0, health.getHealthService());

    assertThat(prober.probe(grpc(port, ""), PATIENT)).isEqualTo(ProbeResult.pass("SERVING"));
  }

  @Test
  void aServingServiceByNamePasses() throws IOException {
    health.setStatus("berth.test.Echo", ServingStatus.SERVING);
    int port = start(0, health.getHealthService());

    assertThat(prober.probe(grpc(port, "berth.test.Echo"), PATIENT))
        .isEqualTo(ProbeResult.pass("SERVING"));
  }

  @Test
  void aNotServingServiceFails() throws IOException {
    health.setStatus("berth.test.Echo", ServingStatus.NOT_SERVING);
    int port = start(0, health.getHealthService());

    assertThat(prober.probe(grpc(port, "berth.test.Echo"), PATIENT))
        .isEqualTo(ProbeResult.fail("NOT_SERVING"));
  }

  @Test
  void anUnknownServiceFails() throws IOException {
    int port = start(0, health.getHealthService());

    assertThat(prober.probe(grpc(port, "berth.test.Missing"), PATIENT))
        .isEqualTo(
            ProbeResult.fail(
                "SERVICE_UNKNOWN: the health service does not know 'berth.test.Missing'"));
  }

  @Test
  void aServerWithoutTheHealthServiceFailsAsUnimplemented() throws IOException {
    int port = start(0);

    assertThat(prober.probe(grpc(port, ""), PATIENT))
        .isEqualTo(ProbeResult.fail("UNIMPLEMENTED: the server has no gRPC health service"));
  }

  @Test
  void nothingListeningFailsAsUnavailable() {
    ProbeResult result = prober.probe(grpc(LocalPorts.closedPort(), ""), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.fail("UNAVAILABLE: connection refused"));
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheDeadline() throws IOException {
    silent = LocalPorts.silentServer();

    long start = System.nanoTime();
    ProbeResult result = prober.probe(grpc(silent.getLocalPort(), ""), TIMEOUT);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result).isEqualTo(ProbeResult.fail("DEADLINE_EXCEEDED: no answer within 500 ms"));
    assertThat(elapsed).isLessThan(TIMEOUT.plusSeconds(1));
  }

  @Test
  void aServerThatComesUpAfterAFailedProbePassesTheNextProbe() throws IOException {
    int port = LocalPorts.closedPort();
    assertThat(prober.probe(grpc(port, ""), PATIENT).healthy()).isFalse();

    start(port, health.getHealthService());

    // No waiting: the failed channel's reconnect backoff must not hide the server.
    assertThat(prober.probe(grpc(port, ""), PATIENT)).isEqualTo(ProbeResult.pass("SERVING"));
  }

  @Test
  void aStatusChangeIsSeenOnTheSameChannel() throws IOException {
    health.setStatus("", ServingStatus.SERVING);
    int port = start(0, health.getHealthService());
    assertThat(prober.probe(grpc(port, ""), PATIENT).healthy()).isTrue();

    health.setStatus("", ServingStatus.NOT_SERVING);

    assertThat(prober.probe(grpc(port, ""), PATIENT)).isEqualTo(ProbeResult.fail("NOT_SERVING"));
  }

  @Test
  void aClosedProberFails() throws IOException {
    int port = start(0, health.getHealthService());
    prober.close();

    assertThat(prober.probe(grpc(port, ""), PATIENT))
        .isEqualTo(ProbeResult.fail("the gRPC prober is closed"));
  }

  @Test
  void aStandardProberGivenItProbesGrpcTargetsWithTheHealthService() throws IOException {
    health.setStatus("", ServingStatus.SERVING);
    int port = start(0, health.getHealthService());

    try (StandardProber standard =
        new StandardProber().with(ProbeType.GRPC, new GrpcHealthProber())) {
      assertThat(standard.probe(grpc(port, ""), PATIENT)).isEqualTo(ProbeResult.pass("SERVING"));
      assertThat(standard.probe(grpc(LocalPorts.closedPort(), ""), PATIENT))
          .isEqualTo(ProbeResult.fail("UNAVAILABLE: connection refused"));
    }
  }

  /** Starts a server on 127.0.0.1 ({@code port} 0 for an ephemeral one) and returns its port. */
  private int start(int port, BindableService... services) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port));
    for (BindableService service : services) {
      builder.addService(service);
    }
    Server server = builder.build().start();
    servers.add(server);
    return server.getPort();
  }

  private static ProbeTarget grpc(int port, String service) {
    return new ProbeTarget(ProbeType.GRPC, HOST, port, service);
  }
}
