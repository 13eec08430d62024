package dev.berth.runner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<HealthReport> health = new AtomicReference<>(HealthReport.ok());
  private final AtomicReference<HealthReport> readiness =
      new AtomicReference<>(HealthReport.failing("boot stage data is not ready"));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AdminServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        AdminServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            registry,
            health::get,
            readiness::get);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private HttpResponse<String> send(String method, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesRegisteredMetersInPrometheusTextFormat() throws Exception {
    registry.counter("berth_test_calls", "outcome", "ok").increment(3);

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("berth_test_calls_total{outcome=\"ok\"} 3.0");
  }

  @Test
  void servesOpenMetricsWhenTheAcceptHeaderAsksForIt() throws Exception {
    registry.counter("berth_test_calls", "outcome", "ok").increment(3);

    HttpResponse<String> response =
        http.send(
            metrics()
                .header(
                    "Accept",
                    "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.2")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE berth_test_calls counter")
        .contains("berth_test_calls_total{outcome=\"ok\"} 3.0")
        .endsWith("# EOF\n");
  }

  @Test
  void compressesMetricsWithGzipWhenTheClientAcceptsIt() throws Exception {
    registry.counter("berth_test_calls", "outcome", "ok").increment(3);

    HttpResponse<byte[]> response =
        http.send(
            metrics().header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    String body;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("berth_test_calls_total{outcome=\"ok\"} 3.0");
  }

  @Test
  void sendsMetricsUncompressedWithoutAcceptEncoding() throws Exception {
    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(response.headers().firstValue("Vary")).contains("Accept, Accept-Encoding");
  }

  private HttpRequest.Builder metrics() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
        .timeout(Duration.ofSeconds(10));
  }

  @Test
  void answersHealthzWithOkWhileHealthy() throws Exception {
    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void answersHealthzWith503AndTheReasonWhenUnhealthy() throws Exception {
    health.set(HealthReport.failing("the registry cannot be read"));

    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("the registry cannot be read\n");
  }

  @Test
  void answersReadyzWith503UntilReadyThen200() throws Exception {
    HttpResponse<String> before = send("GET", "/readyz");
    readiness.set(HealthReport.ok());
    HttpResponse<String> after = send("GET", "/readyz");

    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).isEqualTo("boot stage data is not ready\n");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("ok\n");
  }

  @Test
  void answersACheckThatThrowsWith503() throws Exception {
    health.set(null);

    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).startsWith("the health check failed: ");
  }

  @Test
  void answersHeadWithoutABody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void answersAnUnknownPathWith404() throws Exception {
    assertThat(send("GET", "/admin").statusCode()).isEqualTo(404);
  }

  @Test
  void answersOtherMethodsWith405() throws Exception {
    HttpResponse<String> response = send("POST", "/metrics");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void reportsThePortChosenForPortZero() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void refusesANonLoopbackAddress() throws IOException {
    InetSocketAddress everywhere = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9464);

    assertThatThrownBy(() -> AdminServer.start(everywhere, registry, health::get, readiness::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "admin HTTP server: 0.0.0.0:9464 is not a loopback address; /metrics, /healthz and"
                + " /readyz have no authentication and are only served on loopback (127.0.0.1 or"
                + " ::1)");
  }

  @Test
  void servesOnIpv6Loopback() throws Exception {
    try (AdminServer v6 =
        AdminServer.start(
            new InetSocketAddress(InetAddress.getByName("::1"), 0),
            registry,
            health::get,
            readiness::get)) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://[::1]:" + v6.port() + "/healthz"))
              .timeout(Duration.ofSeconds(10))
              .build();

      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }
}
