package dev.berth.reconcilers.probe;

import static dev.berth.reconcilers.probe.LocalPorts.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.spec.model.ProbeType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProberTest {

  /** For probes that are answered: long enough for a cold JVM's first call (class loading). */
  private static final Duration PATIENT = Duration.ofSeconds(5);

  /** For probes that must time out, and how soon. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final HttpProber prober = new HttpProber();
  private final AtomicInteger unavailableHits = new AtomicInteger();
  private final AtomicReference<String> rootRequestPath = new AtomicReference<>();
  private HttpServer server;
  private ServerSocket silent;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
    server.createContext("/healthz", exchange -> answer(exchange, 200));
    server.createContext(
        "/",
        exchange -> {
          rootRequestPath.set(exchange.getRequestURI().getPath());
          answer(exchange, 204);
        });
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/unavailable");
          answer(exchange, 302);
        });
    server.createContext(
        "/unavailable",
        exchange -> {
          unavailableHits.incrementAndGet();
          answer(exchange, 503);
        });
    server.start();
  }

  @AfterEach
  void stopServers() throws IOException {
    server.stop(0);
    if (silent != null) {
      silent.close();
    }
  }

  @Test
  void a200Passes() {
    ProbeResult result = prober.probe(http(server.getAddress().getPort(), "/healthz"), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("HTTP 200"));
  }

  @Test
  void aRedirectPassesWithoutBeingFollowed() {
    ProbeResult result = prober.probe(http(server.getAddress().getPort(), "/moved"), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("HTTP 302"));
    assertThat(unavailableHits).hasValue(0);
  }

  @Test
  void a503FailsWithTheStatusCode() {
    ProbeResult result = prober.probe(http(server.getAddress().getPort(), "/unavailable"), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.fail("HTTP 503"));
  }

  @Test
  void anEmptyPathProbesTheRoot() {
    ProbeResult result = prober.probe(http(server.getAddress().getPort(), ""), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("HTTP 204"));
    assertThat(rootRequestPath).hasValue("/");
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheTimeout() throws IOException {
    silent = LocalPorts.silentServer();

    long start = System.nanoTime();
    ProbeResult result = prober.probe(http(silent.getLocalPort(), "/healthz"), TIMEOUT);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result).isEqualTo(ProbeResult.fail("timed out after 500 ms"));
    assertThat(elapsed).isLessThan(TIMEOUT.plusSeconds(1));
  }

  @Test
  void aRefusedConnectionFailsSayingSo() {
    ProbeResult result = prober.probe(http(LocalPorts.closedPort(), "/healthz"), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.fail("connection refused"));
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static ProbeTarget http(int port, String path) {
    return new ProbeTarget(ProbeType.HTTP, HOST, port, path);
  }
}
