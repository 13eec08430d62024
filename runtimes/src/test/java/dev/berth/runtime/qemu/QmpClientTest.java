package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.qemu.QmpClient.QmpException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a scripted QEMU: one JSON object per line each way. */
class QmpClientTest {

  private static final String GREETING =
      "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}},"
          + " \"capabilities\": [\"oob\"]}}";

  @TempDir Path temporary;

  private final List<String> received = new CopyOnWriteArrayList<>();
  private ServerSocketChannel server;
  private Thread serving;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (serving != null) {
      serving.join(5_000);
    }
  }

  @Test
  void itNegotiatesCapabilitiesThenReturnsWhatACommandReturnsSkippingEvents() throws IOException {
    Path socket =
        serve(
            Map.of(
                "qmp_capabilities",
                List.of("{\"return\": {}}"),
                "query-status",
                List.of(
                    "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}",
                    "{\"return\": {\"status\": \"running\", \"running\": true}}")));

    try (QmpClient client = QmpClient.connect(socket, Duration.ofSeconds(5))) {
      assertThat(client.execute("query-status").path("status").asText()).isEqualTo("running");
    }
    assertThat(received)
        .containsExactly("{\"execute\":\"qmp_capabilities\"}", "{\"execute\":\"query-status\"}");
  }

  @Test
  void anErrorReplyIsAQmpExceptionWithItsClass() throws IOException {
    Path socket =
        serve(
            Map.of(
                "qmp_capabilities",
                List.of("{\"return\": {}}"),
                "cont",
                List.of(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"guest is shut down\"}}")));

    try (QmpClient client = QmpClient.connect(socket, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.execute("cont"))
          .isInstanceOfSatisfying(
              QmpException.class, e -> assertThat(e.errorClass()).isEqualTo("GenericError"))
          .hasMessageContaining("guest is shut down");
    }
  }

  @Test
  void aQemuThatNeverSpeaksTimesOut() throws IOException {
    Path socket = temporary.resolve("silent.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket)); // listening, but nobody ever answers

    assertThatThrownBy(() -> QmpClient.connect(socket, Duration.ofMillis(300)))
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void nothingListeningFailsAtOnce() {
    assertThatThrownBy(
            () -> QmpClient.connect(temporary.resolve("absent.sock"), Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void runStatesMapOntoWorkloadStates() {
    assertThat(QmpRunState.toWorkloadState("running")).isEqualTo(WorkloadState.RUNNING);
    assertThat(QmpRunState.toWorkloadState("paused")).isEqualTo(WorkloadState.PAUSED);
    assertThat(QmpRunState.toWorkloadState("suspended")).isEqualTo(WorkloadState.PAUSED);
    assertThat(QmpRunState.toWorkloadState("prelaunch")).isEqualTo(WorkloadState.CREATED);
    assertThat(QmpRunState.toWorkloadState("shutdown")).isEqualTo(WorkloadState.EXITED);
    assertThat(QmpRunState.toWorkloadState("guest-panicked")).isEqualTo(WorkloadState.EXITED);
    assertThat(QmpRunState.toWorkloadState("something-new")).isEqualTo(WorkloadState.UNKNOWN);
  }

  /** A fake QEMU that greets, then answers each command it knows with its scripted lines. */
  private Path serve(Map<String, List<String>> replies) throws IOException {
    Path socket = temporary.resolve("qmp.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    serving =
        new Thread(
            () -> {
              try (SocketChannel client = server.accept();
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              Channels.newInputStream(client), StandardCharsets.UTF_8));
                  OutputStream out = Channels.newOutputStream(client)) {
                out.write((GREETING + "\r\n").getBytes(StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                  received.add(line);
                  String command = line.replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1");
                  for (String reply : replies.getOrDefault(command, List.of())) {
                    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                  }
                }
              } catch (IOException e) {
                // The test is over and closed the server.
              }
            },
            "fake-qemu");
    serving.start();
    return socket;
  }
}
