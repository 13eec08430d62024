package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o json|yaml|wide|name}, {@code --no-headers}, {@code apply -f -} and {@code berth diff}
 * against a real agent (its own JVM, the process runtime), as docs/cli.md describes them. One agent
 * for the class, with two running services declared once; a test that changes what is declared uses
 * a service of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputEndToEndTest {

  /** A comment with every character Gson escapes for HTML. */
  static final String HTML_CHARACTERS = "a=b <c> & 'd'";

  @TempDir static Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeAll
  void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    Files.createDirectories(directory.resolve("services"));
    Files.writeString(directory.resolve("services/alpha.toml"), definition("alpha", 1));
    Files.writeString(directory.resolve("services/beta.toml"), definition("beta", 1));
    Cli.Run applied =
        cli.run(
            "apply", "-f", directory.resolve("services").toString(), "--wait", "--timeout", "60s");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  @AfterAll
  void stopAgent() {
    if (agent != null) {
      agent.close(); // and the services' processes with it
    }
  }

  /**
   * A service of one idling shell whose command line names the test's directory (so that closing
   * the agent finds it), with a comment of HTML's characters and one route.
   */
  static String definition(String name, int version) {
    return """
        name = "%s"
        comment = "%s"

        [[components]]
        name = "app"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "while true; do sleep 0.2; done", "%s/%s"]
        restart = "always"

        [components.env]
        VERSION = "%d"

        [[components.routes]]
        name = "http"
        port = 443
        mode = "l4"
        hostname = "%s.test.internal"
        """
        .formatted(name, HTML_CHARACTERS, directory, name, version, name);
  }

  Cli.Run ok(String... args) {
    Cli.Run run = cli.run(args);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  @Test
  void jsonPrintsHtmlCharactersAsThemselves() throws Exception {
    Cli.Run run = ok("status", "alpha", "-o", "json");

    assertThat(run.out())
        .contains("\"comment\": \"" + HTML_CHARACTERS + "\"")
        .doesNotContain("\\u00");
    AgentProto.Service.Builder parsed = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.getSpec().getComment()).isEqualTo(HTML_CHARACTERS);
  }

  @Test
  void jsonIsStillTheOlderJsonFlag() {
    // The history, for the status of a running service changes by the second (its uptime).
    assertThat(ok("history", "alpha", "--json").out())
        .isEqualTo(ok("history", "alpha", "-o", "json").out())
        .contains("\"generation\": \"1\"");
  }

  @Test
  void yamlIsTheJsonDocumentAsYaml() throws Exception {
    // The history, for the status of a running service changes by the second (its uptime).
    Cli.Run json = ok("history", "alpha", "-o", "json");
    Cli.Run yaml = ok("history", "alpha", "-o", "yaml");

    assertThat(yaml.out()).startsWith("---\nservice: alpha\ngeneration: \"1\"\n");
    assertThat(new YAMLMapper().readTree(yaml.out()))
        .isEqualTo(new ObjectMapper().readTree(json.out()));
  }

  @Test
  void nameIsOneServicePerLine() {
    assertThat(ok("status", "-o", "name").outLines())
        .containsExactly("service/alpha", "service/beta");
  }

  @Test
  void wideAddsTheGenerationTheWorkloadAndItsMessage() throws Exception {
    AgentProto.Service alpha = status("alpha");
    String workload = alpha.getComponents(0).getWorkloadId();

    Cli.Run run = ok("status", "alpha", "-o", "wide");

    assertThat(run.outLines().get(0))
        .matches(
            "SERVICE +COMPONENT +RUNTIME +STATE +VERSION +UPTIME +PORTS +GENERATION +OBSERVED"
                + " +WORKLOAD +IMAGE +MESSAGE");
    assertThat(run.outLines().get(1))
        .matches(
            "alpha +app +process +running +- +\\S+ +127\\.0\\.0\\.1:\\d+->\\d+ \\(http\\) +1 +1 +"
                + workload
                + " +.*");
  }

  @Test
  void noHeadersLeavesOutTheLineOfColumnNames() {
    assertThat(ok("status", "--no-headers").outLines())
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).doesNotContain("SERVICE"));
    assertThat(ok("routes", "--no-headers").outLines())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("alpha");
  }

  @Test
  void routesByNameAndWideWithTheCertificateColumn() {
    assertThat(ok("routes", "-o", "name").outLines())
        .containsExactly("route/alpha/app/http", "route/beta/app/http");
    assertThat(ok("routes", "-o", "wide").outLines().get(0)).matches(".* REASON +CERTIFICATE");
  }

  @Test
  void nodeByName() {
    assertThat(ok("node", "-o", "name").outLines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("node/");
  }

  @Test
  void anUnknownFormatIsAUsageErrorNamingTheFormats() throws IOException {
    Cli.Run run = cli.run("status", "-o", "xml");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .contains("unknown output format \"xml\": use one of json, yaml, wide, name");
    assertThat(doc()).contains("unknown output format \"xml\":\nuse one of json, yaml, wide, name");
  }

  @Test
  void aFormatTheCommandHasNotIsAUsageErrorNamingItsFormats() throws IOException {
    Cli.Run run = cli.run("node", "-o", "wide");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .contains("berth node has no -o wide: use -o json, yaml or name");
    assertThat(doc().replace("\n", " "))
        .contains("berth node has no -o wide: use -o json, yaml or name");
  }

  @Test
  void applyDashFReadsTheDefinitionFromStandardInput() throws Exception {
    Cli.Run run = cli.withStdin(definition("piped", 1)).run("apply", "-f", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("piped created (generation 1)\n");
    assertThat(status("piped").getSource()).isEqualTo("stdin");
    ok("delete", "piped");
  }

  @Test
  void applyDashFNamesStandardInputInItsErrors() throws IOException {
    Cli.Run run =
        cli.withStdin(definition("bad", 1).replace("port = 443", "port = 70000"))
            .run("apply", "-f", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "<stdin>: components[0].routes[0].port: must be 1..65535, was 70000\n"
                + "error: 1 problem in <stdin>; nothing was applied\n");
    assertThat(doc()).as("docs/cli.md shows it").contains(run.err());
  }

  @Test
  void diffOfWhatIsDeclaredPrintsNothingAndExits0() {
    Cli.Run run = cli.run("diff", "-f", directory.resolve("services").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
  }

  @Test
  void diffOfAChangePrintsItAndExits1() throws Exception {
    Path file = Files.writeString(directory.resolve("gamma.toml"), definition("gamma", 1));
    ok("apply", "-f", file.toString());
    Files.writeString(file, definition("gamma", 2));

    Cli.Run run = cli.run("diff", "-f", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.outLines()).hasSize(2);
    assertThat(run.outLines().get(0)).isEqualTo("gamma would be updated (generation 2)");
    assertThat(run.outLines().get(1))
        .startsWith("  ~ components[0].env")
        .endsWith("\"1\" -> \"2\"");
    assertThat(status("gamma").getGeneration()).as("nothing changed").isEqualTo(1);
    ok("delete", "gamma");
    // A service is gone once its workload has stopped, after delete returns; the other tests
    // list every service (routes -o name found gamma's route when this ran just before it).
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cli.run("status", "gamma").exitCode() != ExitCodes.NOT_FOUND) {
      assertThat(System.nanoTime()).as("gamma gone within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void diffOfABadFileExits8() throws IOException {
    Cli.Run run = cli.withStdin("name = \"x\"\n[[components]\n").run("diff", "-f", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DIFF_FAILED);
    assertThat(run.err()).endsWith("error: 1 problem in <stdin>; nothing was compared\n");
    assertThat(doc())
        .contains("| 8 | what is 1 for other commands")
        .contains("; nothing was compared");
  }

  static String doc() throws IOException {
    return Files.readString(StatusDocTest.DOC);
  }

  AgentProto.Service status(String name) throws IOException {
    Cli.Run run = ok("status", name, "--json");
    AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), service);
    return service.build();
  }
}
