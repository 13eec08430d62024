package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HelloServerTest {

  final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  HelloServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        HelloServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            "hello from the test",
            new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersTheRootWithItsGreetingOnOneLine() throws Exception {
    HttpResponse<String> response = send("GET", "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello from the test\n");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void answersHealthzWith200() throws Exception {
    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void answersHeadWithoutABody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void answersOtherPathsWith404() throws Exception {
    HttpResponse<String> response = send("GET", "/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("not found: /nope\n");
  }

  @Test
  void refusesOtherMethodsWith405NamingTheAllowedOnes() throws Exception {
    HttpResponse<String> response = send("POST", "/");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void logsEachRequestOnALineOfItsOwn() throws Exception {
    send("GET", "/");
    send("GET", "/healthz?probe=1");
    send("GET", "/nope");

    String[] lines = logged.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).matches("\\S+Z GET / 200 from 127\\.0\\.0\\.1");
    assertThat(lines[1]).endsWith(" GET /healthz?probe=1 200 from 127.0.0.1");
    assertThat(lines[2]).endsWith(" GET /nope 404 from 127.0.0.1");
  }

  @Test
  void stopsListeningWhenClosed() throws Exception {
    send("GET", "/");

    server.close();

    HttpClient fresh = HttpClient.newHttpClient(); // none of the closed server's connections
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port())).build();
    assertThatThrownBy(() -> fresh.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }
}
