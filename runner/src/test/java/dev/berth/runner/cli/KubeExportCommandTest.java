package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.LoadedService;
import dev.berth.store.file.ServiceFiles;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code berth kube export}: the examples' service files become BerthServices that declare the same
 * services, and docs/cli.md shows its output as it is.
 */
class KubeExportCommandTest {

  static final Path EXAMPLES = Path.of("..", "examples");
  static final Path DOC = Path.of("..", "docs", "cli.md");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quickstart/services", "quickstart-podman/services"})
  void theExamplesExportAsTheSameServices(String directory) {
    Path files = EXAMPLES.resolve(directory);
    Cli.Run run = Cli.plain().run("kube", "export", "-f", files.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    List<ServiceSpec> exported =
        documents(run.out()).stream()
            .map(
                resource -> {
                  ServiceSpecMapping.Converted converted =
                      ServiceSpecMapping.toServiceSpec(resource);
                  assertThat(converted.violations()).isEmpty();
                  return converted.spec();
                })
            .toList();
    List<ServiceSpec> declared =
        ServiceFiles.load(files, ValidationPolicy.STRICT).services().stream()
            .map(LoadedService::spec)
            .toList();
    assertThat(exported).isNotEmpty().containsExactlyElementsOf(declared);
  }

  @Test
  void everyDocumentIsABerthServiceWithoutANamespace() {
    Cli.Run run =
        Cli.plain().run("kube", "export", "-f", EXAMPLES.resolve("quickstart/services").toString());

    assertThat(documents(run.out()))
        .hasSize(2)
        .allSatisfy(
            resource -> {
              assertThat(resource.getApiVersion()).isEqualTo("berth.dev/v1alpha1");
              assertThat(resource.getKind()).isEqualTo("BerthService");
              assertThat(resource.getMetadata().getNamespace()).isNull();
            });
  }

  @Test
  void aFileWithAProblemPrintsNothingOnStdoutAndExits1(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("web.toml");
    Files.writeString(
        file,
        "name = \"web\"\n[[components]]\nname = \"app\"\nimage = \"nginx:1.27\"\n"
            + "[[components.routes]]\nport = 70000\n");

    Cli.Run run = Cli.plain().run("kube", "export", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("web.toml: components[0].routes[0].port: must be 1..65535, was 70000")
        .contains("error: 1 problem in " + file);
  }

  @Test
  void aProbesLivenessAndTimingAndTheUpdatePolicyAreExportedAsWritten(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("web.toml");
    Files.writeString(
        file,
        """
        name = "web"
        [[components]]
        name = "app"
        image = "nginx:1.27"
        restart = "always"
        [[components.routes]]
        name = "http"
        port = 8443
        mode = "l7"
        hostname = "web.localhost"
        [components.health]
        type = "http"
        route = "http"
        path = "/healthz"
        liveness = true
        period = "5s"
        timeout = "500ms"
        failure_threshold = 4
        initial_delay = "1m30s"
        [components.update]
        strategy = "beside"
        deadline = "2m"
        drain = "1500ms"
        auto_revert = true
        """);

    Cli.Run run = Cli.plain().run("kube", "export", "-f", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains(
            """
                  liveness: true
                  period: "5s"
                  timeout: "500ms"
                  failure_threshold: 4
                  initial_delay: "90s"
                update:
                  strategy: "beside"
                  deadline: "2m"
                  drain: "1500ms"
                  auto_revert: true
            """);
    ServiceSpec loaded = ServiceFiles.load(file, ValidationPolicy.STRICT).services().get(0).spec();
    assertThat(documents(run.out()))
        .singleElement()
        .satisfies(
            exported ->
                assertThat(ServiceSpecMapping.toServiceSpec(exported).spec()).isEqualTo(loaded));
  }

  @Test
  void aComponentWithSecretsIsRefusedRatherThanExportedWithoutThem(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("web.toml");
    Files.writeString(
        file,
        "name = \"web\"\n[[components]]\nname = \"app\"\nimage = \"nginx:1.27\"\n"
            + "restart = \"always\"\n"
            + "[[components.secrets]]\nname = \"DB_PASSWORD\"\nfile = \"db-password\"\n");

    Cli.Run run = Cli.plain().run("kube", "export", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("web.toml: components[0].secrets: a BerthService takes no secrets")
        .contains("error: 1 problem in " + file);
  }

  @Test
  void theDocShowsTheOutputAsItIs() throws IOException {
    Cli.Run run =
        Cli.plain()
            .run(
                "kube",
                "export",
                "-f",
                EXAMPLES.resolve("quickstart-podman/services/hello.toml").toString());

    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    assertThat(doc)
        .contains(
            "$ berth kube export -f examples/quickstart-podman/services/hello.toml\n"
                + run.out()
                + "```");
  }

  @Test
  void theDocListsItInTheOverview() throws IOException {
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .contains("berth kube export -f FILE|DIR                          offline\n")
        .contains("## `berth kube export`\n\n```\nberth kube export -f FILE|DIR\n```");
    assertThat(Cli.plain().run("kube", "export", "--help").out())
        .contains("Usage: berth kube export [-h] -f=FILE|DIR");
  }

  static List<BerthService> documents(String yaml) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    return java.util.Arrays.stream(yaml.split("(?m)^---\n"))
        .filter(document -> !document.isBlank())
        .map(
            document ->
                serialization.unmarshal(
                    new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
                    BerthService.class))
        .toList();
  }
}
