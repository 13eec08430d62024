package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth operator}'s command line, as docs/cli.md describes it; its run against a cluster is
 * OperatorProcessTest's.
 */
class OperatorCommandTest {

  static final Path DOC = Path.of("..", "docs", "cli.md");

  @Test
  void helpShowsEveryOptionTheDocLists() throws IOException {
    Cli.Run run = Cli.plain().run("operator", "--help");

    assertThat(run.exitCode()).isZero();
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String section =
        doc.substring(doc.indexOf("## `berth operator`"), doc.indexOf("## `berth apply`"));
    for (String option :
        new String[] {
          "--kubeconfig", "-n", "--namespace", "-A", "--all-namespaces", "-c", "--config"
        }) {
      assertThat(section).contains("`" + option);
      assertThat(run.out()).contains(option);
    }
    assertThat(Cli.plain().run("--help").out())
        .contains("operator    Run the Kubernetes operator.");
  }

  @Test
  void namespacesAndAllNamespacesExcludeEachOther() {
    Cli.Run run = Cli.plain().run("operator", "-n", "apps", "--all-namespaces");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void aRefusedConfigurationExits1BeforeContactingTheCluster(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("operator.toml");
    Files.writeString(config, "[certificates]\nsource = \"acme\"\n");

    Cli.Run run =
        Cli.plain()
            .run(
                "operator",
                "--kubeconfig",
                dir.resolve("no-such-kubeconfig").toString(),
                "--config",
                config.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    String refusal =
        "certificates.source: must be one of cert-manager, secrets, local-ca, was \"acme\"";
    assertThat(run.err())
        .contains("error: the configuration is refused:")
        .contains(config + ": " + refusal);
    String doc = Files.readString(DOC, StandardCharsets.UTF_8).replace("\n  ", " ");
    assertThat(doc).contains("(`operator.toml: " + refusal + "`)");
  }
}
