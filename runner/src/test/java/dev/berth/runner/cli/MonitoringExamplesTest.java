package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.berth.runner.agent.InstalledNginx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring examples and the metrics table of docs/running-on-a-node.md against a real agent:
 * one with nginx, a service with an L7 route (so a certificate from the local CA and a proxy
 * reload), and one that keeps exiting (restarts), so that every series the node can have exists.
 */
class MonitoringExamplesTest {

  static final Path DASHBOARD = Path.of("..", "examples", "monitoring", "berth-dashboard.json");
  static final Path RULES = Path.of("..", "examples", "monitoring", "berth-rules.yml");
  static final Path DOC = Path.of("..", "docs", "running-on-a-node.md");

  /** The families Berth exports itself; the JVM's are Micrometer's and not listed one by one. */
  private static final Pattern OWN =
      Pattern.compile("(controller_runtime|workqueue|berth|grpc_server)_.*");

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir static Path directory;
  static AgentProcess agent;
  static Cli cli;
  static int metrics;

  @BeforeAll
  static void startAgent() throws Exception {
    InstalledNginx.require();
    // nginx started as root runs its workers unprivileged; they must reach the sockets under it.
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    metrics = AdminEndpoint.freePort();
    int listener = AdminEndpoint.freePort();
    AgentProcess.writeAgentConfig(
        directory,
        "127.0.0.1:" + metrics,
        "\"process\"",
        """

        [routes]
        enabled = true
        listen_address = "127.0.0.1"
        stop_nginx_on_exit = true
        """);
    Path services = Files.createDirectories(directory.resolve("services"));
    Files.writeString(
        services.resolve("tools.toml"),
        """
        name = "tools"

        [[components]]
        name = "web"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "exec sleep 600"]

        [[components.routes]]
        name = "https"
        port = %d
        mode = "l7"
        hostname = "tools.berth.internal"
        """
            .formatted(listener));
    Files.writeString(
        services.resolve("flaky.toml"),
        """
        name = "flaky"

        [[components]]
        name = "job"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "exit 3"]
        restart = "always"
        """);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", services.toString());
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  @AfterAll
  static void stopAgent() {
    if (agent != null) {
      if (agent.alive()) {
        cli.run("delete", "tools");
        cli.run("delete", "flaky");
      }
      agent.close();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheRulesNameIsExportedByARunningAgent() throws Exception {
    Map<String, Set<String>> named =
        Map.of("berth-dashboard.json", dashboardMetrics(), "berth-rules.yml", rulesMetrics());
    assertThat(named.get("berth-dashboard.json"))
        .as("the dashboard's panels")
        .contains(
            "controller_runtime_reconcile_total",
            "workqueue_unfinished_work_seconds",
            "berth_certificate_expiry_seconds",
            "grpc_server_handled_total");
    assertThat(named.get("berth-rules.yml"))
        .contains(
            "controller_runtime_reconcile_errors_total",
            "berth_components_crash_looping",
            "berth_certificate_expiry_seconds",
            "berth_proxy_reload_failures_total",
            "workqueue_longest_running_processor_seconds");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Set<String> exported = sampleNames(scrape());
              named.forEach(
                  (file, names) ->
                      assertThat(names)
                          .as("metrics %s names that the agent does not export", file)
                          .allSatisfy(
                              name -> assertThat(exports(exported, name)).as(name).isTrue()));
            });
  }

  @Test
  void theMetricsTableOfTheDocsListsExactlyWhatTheAgentExports() throws Exception {
    Set<String> documented = documentedMetrics();
    assertThat(documented).contains("controller_runtime_reconcile_total", "berth_services");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Set<String> exported = sampleNames(scrape());
              assertThat(documented)
                  .as("documented in running-on-a-node.md but not exported")
                  .allSatisfy(name -> assertThat(exports(exported, name)).as(name).isTrue());
              Set<String> undocumented = new TreeSet<>();
              for (String family : families(exported)) {
                if (OWN.matcher(family).matches() && !documented.contains(family)) {
                  undocumented.add(family);
                }
              }
              assertThat(undocumented).as("exported but missing from the docs' table").isEmpty();
            });
  }

  @Test
  void theServicesPhasesShowOnTheirSeries() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains("berth_components{phase=\"running\"} 1")
                    .contains("berth_services{phase=\"Converged\"} 1")
                    .containsPattern("berth_component_restarts_total [1-9]")
                    .contains("berth_proxy_reloads_total{proxy=\"nginx\"}")
                    .containsPattern(
                        "berth_certificate_expiry_seconds\\{certificate=\"tools.berth.internal\"\\}"
                            + " 7[0-9]{6}"));
  }

  @Test
  void metricsComeAsOpenMetricsAndGzipWhenPrometheusAsksSo() throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                .header(
                    "Accept",
                    "application/openmetrics-text;version=1.0.0;q=0.5,"
                        + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1")
                .header("Accept-Encoding", "gzip")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    String body;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body)
        .contains("# TYPE controller_runtime_reconcile counter")
        .contains("controller_runtime_reconcile_total{controller=\"services\",result=\"success\"}")
        .endsWith("# EOF\n");
  }

  // ---- what the files name ----

  /** Every metric named by an {@code expr} of the dashboard's panels and variables. */
  static Set<String> dashboardMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    collect(JsonParser.parseString(Files.readString(DASHBOARD)), expressions);
    assertThat(expressions).as("the dashboard's expressions").isNotEmpty();
    expressions.forEach(expression -> names.addAll(metricNames(expression)));
    return names;
  }

  private static void collect(JsonElement element, List<String> expressions) {
    if (element.isJsonObject()) {
      element
          .getAsJsonObject()
          .entrySet()
          .forEach(
              entry -> {
                if ((entry.getKey().equals("expr") || entry.getKey().equals("definition"))
                    && entry.getValue().isJsonPrimitive()) {
                  expressions.add(entry.getValue().getAsString());
                } else {
                  collect(entry.getValue(), expressions);
                }
              });
    } else if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(child -> collect(child, expressions));
    }
  }

  /** Every metric named by the rules' {@code expr:} lines (one-line expressions only). */
  static Set<String> rulesMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher expr = Pattern.compile("(?m)^\\s*expr:\\s*(.*)$").matcher(Files.readString(RULES));
    int found = 0;
    while (expr.find()) {
      String expression = expr.group(1).strip();
      assertThat(expression).as("a rule's expr on one line").isNotEmpty().doesNotStartWith("|");
      names.addAll(metricNames(expression));
      found++;
    }
    assertThat(found).as("the rules' expressions").isPositive();
    return names;
  }

  /**
   * The metric names of a PromQL expression: identifiers that are no function, keyword or label.
   */
  static Set<String> metricNames(String expression) {
    String bare =
        expression
            .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings: label values
            .replaceAll("\\{[^}]*}", "{}") // label matchers
            .replaceAll("\\[[^]]*]", "[]") // ranges
            .replaceAll(
                "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
                "") // grouping: an aggregation then reads as the function it is
            .replaceAll("\\$\\w+", "") // Grafana's variables
            // Grafana's label_values(metric, label): the label is no metric
            .replaceAll("label_values\\(([^,()]*),\\s*\\w+\\s*\\)", "label_values($1)");
    Set<String> names = new TreeSet<>();
    Matcher identifier =
        Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
    while (identifier.find()) {
      String name = identifier.group(1);
      boolean function = identifier.group(2) != null;
      if (!function && !PROMQL_WORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /** The metric names of the table under {@code ## Metrics} in running-on-a-node.md. */
  static Set<String> documentedMetrics() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("\n## Metrics\n");
    assertThat(start).as("a Metrics section").isPositive();
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    Set<String> names = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-z_:]+)` \\|").matcher(section);
    while (row.find()) {
      names.add(row.group(1));
    }
    return names;
  }

  // ---- what the agent exports ----

  private static String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The name of every sample: {@code workqueue_depth}, {@code x_seconds_bucket}, ... */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher name = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
      if (name.find()) {
        names.add(name.group(1));
      }
    }
    return names;
  }

  /** Whether {@code name} (a histogram by its family name, or one of its series) is exported. */
  static boolean exports(Set<String> samples, String name) {
    return samples.contains(name)
        || samples.contains(name + "_bucket")
        || (family(name) != null && samples.contains(name));
  }

  /**
   * Families: a histogram's {@code _bucket}, {@code _sum}, {@code _count} and {@code _max} folded.
   */
  static Set<String> families(Set<String> samples) {
    Set<String> families = new TreeSet<>();
    for (String sample : samples) {
      String family = family(sample);
      families.add(family != null && samples.contains(family + "_bucket") ? family : sample);
    }
    return families;
  }

  private static String family(String sample) {
    for (String suffix : List.of("_bucket", "_sum", "_count", "_max")) {
      if (sample.endsWith(suffix)) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return null;
  }
}
