package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as Berth runs it: a JVM of its own, told its port by PORT_HTTP, stopped by SIGTERM.
 */
class HelloServerProgramTest {

  @TempDir Path directory;
  Process process;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code java -cp <classes> HelloServer args...}, its output in a file. */
  Path run(Integer port, String... args) throws IOException, URISyntaxException {
    Path output = directory.resolve("output.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Path.of(
                        HelloServer.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString(),
                HelloServer.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.command().addAll(List.of(args));
    builder.environment().remove("PORT_HTTP");
    builder.environment().remove("GREETING");
    if (port != null) {
      builder.environment().put("PORT_HTTP", port.toString());
    }
    process = builder.start();
    return output;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Test
  void servesOnPortHttpWithItsArgumentsAsGreetingAndStopsCleanlyOnSigterm() throws Exception {
    int port = freePort();
    Path output = run(port, "hello", "from", "a", "process");
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(5))
            .build();

    String body =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()).body(), b -> true);
    assertThat(body).isEqualTo("hello from a process\n");

    process.destroy(); // SIGTERM, as Berth's process runtime stops a workload
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    // 128 + SIGTERM: the JVM's own exit status after running its shutdown hooks.
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(Files.readString(output))
        .contains("hello-server: listening on http://127.0.0.1:" + port + "/")
        .contains(" GET / 200 from 127.0.0.1")
        .endsWith("hello-server: stopped\n");
  }

  @Test
  void withoutPortHttpItExitsWith2AndSaysWhy() throws Exception {
    Path output = run(null);

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(output)).startsWith("hello-server: PORT_HTTP is not set");
  }
}
