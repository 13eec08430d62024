package dev.berth.reconcilers.probe;

import static dev.berth.reconcilers.probe.LocalPorts.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.spec.model.ProbeType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StandardProberTest {

  /** For probes that are answered: long enough for a cold JVM's first call (class loading). */
  private static final Duration PATIENT = Duration.ofSeconds(5);

  private final StandardProber prober = new StandardProber();
  private ServerSocket tcpServer;
  private HttpServer httpServer;

  @AfterEach
  void stopEverything() throws Exception {
    prober.close();
    if (tcpServer != null) {
      tcpServer.close();
    }
    if (httpServer != null) {
      httpServer.stop(0);
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
  void aGrpcTargetFailsNamingTheModuleThatProbesItWhenNoGrpcProberWasGiven() throws IOException {
    tcpServer = LocalPorts.silentServer();

    ProbeResult result =
        prober.probe(target(ProbeType.GRPC, tcpServer.getLocalPort(), ""), PATIENT);

    assertThat(result)
        .isEqualTo(
            ProbeResult.fail(
                "no prober for gRPC health probes on this node: add the berth-probe-grpc module"
                    + " (dev.berth.probe.grpc.GrpcHealthProber) to the node's probers"));
    assertThat(prober.probes(ProbeType.GRPC)).isFalse();
  }

  @Test
  void aProberGivenForATypeProbesItsTargetsAndIsClosedWithTheStandardProber() {
    AtomicBoolean closed = new AtomicBoolean();
    class Answering implements Prober, AutoCloseable {
      @Override
      public ProbeResult probe(ProbeTarget target, Duration timeout) {
        return ProbeResult.pass("asked about " + target.path());
      }

      @Override
      public void close() {
        closed.set(true);
      }
    }
    StandardProber withGrpc = prober.with(ProbeType.GRPC, new Answering());

    ProbeResult result = withGrpc.probe(target(ProbeType.GRPC, 1, "berth.Echo"), PATIENT);
    withGrpc.close();

    assertThat(result).isEqualTo(ProbeResult.pass("asked about berth.Echo"));
    assertThat(withGrpc.probes(ProbeType.GRPC)).isTrue();
    assertThat(closed).isTrue();
  }

  @Test
  void eachTypeFailsWhereNothingListens() {
    int port = LocalPorts.closedPort();

    assertThat(prober.probe(target(ProbeType.TCP, port, ""), PATIENT))
        .isEqualTo(ProbeResult.fail("connection refused"));
    assertThat(prober.probe(target(ProbeType.HTTP, port, "/"), PATIENT))
        .isEqualTo(ProbeResult.fail("connection refused"));
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
