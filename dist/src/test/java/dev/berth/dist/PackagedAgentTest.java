package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent of the packages' jar, as a real process: what the shaded jar dropped is not missed at
 * start or by its endpoints, and its log is what systemd and collectors read.
 */
class PackagedAgentTest {

  static final Path JAR = Path.of(System.getProperty("berth.tree"), "usr/lib/berth/berth.jar");
  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path directory;

  @Test
  void underSystemdEveryLineHasItsJournalPriorityAndNoTimestamp() throws Exception {
    Path log = Files.createFile(directory.resolve("agent.log"));
    // What systemd sets when stderr is the journal: the stream's device and inode.
    String stream = Files.getAttribute(log, "unix:dev") + ":" + Files.getAttribute(log, "unix:ino");
    List<String> lines = runAgent(Map.of("JOURNAL_STREAM", stream), log, -1);
    assertThat(lines).isNotEmpty().allMatch(line -> line.matches("<[3467]>[A-Z]+ +\\S+ - .*"));
    assertThat(lines).anyMatch(line -> line.startsWith("<6>INFO "));
  }

  @Test
  void berthLogFormatJsonWritesOneJsonObjectALine() throws Exception {
    Path log = Files.createFile(directory.resolve("agent.log"));
    List<String> lines = runAgent(Map.of("BERTH_LOG_FORMAT", "json"), log, -1);
    ObjectMapper json = new ObjectMapper();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode event = json.readTree(line);
      assertThat(event.path("level").asText()).as(line).isNotEmpty();
      assertThat(event.path("message").isTextual()).as(line).isTrue();
    }
    assertThat(lines).anyMatch(line -> line.contains("berth agent started"));
  }

  @Test
  void anUnknownLogFormatIsRefusedBeforeTheAgentStarts() throws Exception {
    Command refused =
        Command.run(
            List.of(Command.java(), "-jar", JAR.toString(), "agent", "--config", "berth.toml"),
            Map.of("BERTH_LOG_FORMAT", "xml"));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output())
        .contains("error: BERTH_LOG_FORMAT: must be text or json, was \"xml\"");
  }

  @Test
  void metricsAskedForInPrometheusProtobufAreServedAsText() throws Exception {
    // The jar carries no protobuf exposition (runner/pom.xml): a scraper asking for it first
    // still gets the text format.
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = Files.createFile(directory.resolve("agent.log"));
    runAgent(Map.of(), log, port);
  }

  /**
   * Starts the jar's agent in {@code directory} (process runtime, metrics on {@code metricsPort}
   * unless negative), waits until it serves, stops it with SIGTERM, and returns its log lines. With
   * metrics, checks the protobuf-first scrape before stopping.
   */
  private List<String> runAgent(Map<String, String> environment, Path log, int metricsPort)
      throws Exception {
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = "%s"

        [runtimes]
        enabled = ["process"]

        [routes]
        enabled = false
        """
            .formatted(metricsPort < 0 ? "" : "127.0.0.1:" + metricsPort));
    ProcessBuilder builder =
        new ProcessBuilder(
                Command.java(), "-jar", JAR.toString(), "agent", "--config", "berth.toml")
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().remove("BERTH_LOG_FORMAT");
    builder.environment().remove("JOURNAL_STREAM");
    builder.environment().putAll(environment);
    Process agent = builder.start();
    try {
      long deadline = System.nanoTime() + START.toNanos();
      while (!Files.readString(log).contains("berth agent started")) {
        assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(deadline);
        Thread.sleep(50);
      }
      if (metricsPort >= 0) {
        HttpResponse<String> scrape =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .header(
                            "Accept",
                            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                                + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
            .get()
            .asString()
            .startsWith("text/");
        assertThat(scrape.body()).contains("# TYPE ");
      }
    } finally {
      agent.destroy();
      if (!agent.waitFor(30, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  static {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run after package (./mvnw -B verify)");
    }
  }
}
