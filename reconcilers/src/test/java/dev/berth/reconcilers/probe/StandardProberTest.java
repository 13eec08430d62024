package dev.berth.reconcilers.probe;

import static dev.berth.reconcilers.probe.LocalPorts.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.spec.model.ProbeType;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StandardProberTest {

  /** For probes that are answered: long enough for a cold JVM's first call (class loading). */
  private static final Duration PATIENT = Duration.ofSeconds(5);

  private final StandardProber prober = new StandardProber();
  private ServerSocket tcpServer;
  private HttpServer httpServer;
  private Server grpcServer;

  @AfterEach
  void stopEverything() throws Exception {
    prober.close();
    if (tcpServer != null) {
      tcpServer.close();
    }
    if (httpServer != null) {
      httpServer.stop(0);
    }
    if (grpcServer != null) {
      grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTcpTargetIsProbedByConnecting() throws IOException {
    tcpServer = LocalPorts.silentServer();

    ProbeResult result = prober.probe(target(ProbeType.TCP, tcpServer.getLocalPort(), ""), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("connected"));
  }

  @Test
  void anHttpTargetIsProbedWithAGet() throws IOException {
    httpServer = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
    httpServer.createContext(
        "/ready",
        exchange -> {
          exchange.sendResponseHeaders("GET".equals(exchange.getRequestMethod()) ? 200 : 405, -1);
          exchange.close();
        });
    httpServer.start();

    ProbeResult result =
        prober.probe(target(ProbeType.HTTP, httpServer.getAddress().getPort(), "/ready"), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("HTTP 200"));
  }

  @Test
  void aGrpcTargetIsProbedWithTheHealthService() throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress(HOST, 0))
            .addService(health.getHealthService())
            .build()
            .start();

    ProbeResult result = prober.probe(target(ProbeType.GRPC, grpcServer.getPort(), ""), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("SERVING"));
  }

  @Test
  void eachTypeFailsWhereNothingListens() {
    int port = LocalPorts.closedPort();

    assertThat(prober.probe(target(ProbeType.TCP, port, ""), PATIENT))
        .isEqualTo(ProbeResult.fail("connection refused"));
    assertThat(prober.probe(target(ProbeType.HTTP, port, "/"), PATIENT))
        .isEqualTo(ProbeResult.fail("connection refused"));
    assertThat(prober.probe(target(ProbeType.GRPC, port, ""), PATIENT))
        .isEqualTo(ProbeResult.fail("UNAVAILABLE: connection refused"));
  }

  @Test
  void aCallersMistakeBecomesAFailedResultInsteadOfAnException() {
    ProbeTarget target = target(ProbeType.TCP, LocalPorts.closedPort(), "");

    ProbeResult result = prober.probe(target, Duration.ofMillis(-1));

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail())
        .isEqualTo(
            "probe of "
                + target
                + " failed unexpectedly: IllegalArgumentException:"
                + " probe timeout must be positive, was PT-0.001S");
  }

  private static ProbeTarget target(ProbeType type, int port, String path) {
    return new ProbeTarget(type, HOST, port, path);
  }
}
