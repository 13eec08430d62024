package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth config}: the contexts listed, the current one shown and chosen. */
class ConfigCommandTest {

  @TempDir Path dir;
  Path config;
  Cli cli;

  @BeforeEach
  void writeConfig() throws Exception {
    config =
        Files.writeString(
            dir.resolve("config.toml"),
            """
            # the fleet
            current_context = "rift"

            [contexts.rift]
            address = "10.0.0.5:7443"
            insecure = true

            [contexts.local]
            socket = "/run/berth/berth.sock"
            """);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    cli = Cli.plain().withVariables(Map.of("BERTH_CLIENT_CONFIG", config.toString()));
  }

  @Test
  void getContextsMarksTheCurrentOne() {
    Cli.Run run = cli.run("config", "get-contexts");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            CURRENT  NAME   AGENT
            *        rift   10.0.0.5:7443
                     local  /run/berth/berth.sock
            """);
  }

  @Test
  void theDocsConfigurationIsReadAndListedAsTheDocShows() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "cli.md"));
    String start = "```toml\n# ~/.config/berth/config.toml\n";
    String toml = doc.substring(doc.indexOf(start) + start.length());
    toml = toml.substring(0, toml.indexOf("```"));
    Files.writeString(config, toml);

    Cli.Run run = cli.run("config", "get-contexts");

    assertThat(run.exitCode()).isZero();
    assertThat(doc).contains("```\n$ berth config get-contexts\n" + run.out() + "```\n");
  }

  @Test
  void currentContextPrintsItsName() {
    Cli.Run run = cli.run("config", "current-context");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("rift\n");
  }

  @Test
  void useContextRewritesOnlyThatLineAndKeepsTheFilesMode() throws Exception {
    Cli.Run run = cli.run("config", "use-context", "local");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("the current context is now local\n");
    assertThat(Files.readString(config)).startsWith("# the fleet\ncurrent_context = \"local\"\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    assertThat(cli.run("config", "current-context").out()).isEqualTo("local\n");
  }

  @Test
  void useContextOfAnUnknownNameChangesNothing() throws Exception {
    String before = Files.readString(config);

    Cli.Run run = cli.run("config", "use-context", "locl");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "error: no context named \"locl\" (use-context) in "
                + config
                + "; did you mean \"local\"?\n");
    assertThat(Files.readString(config)).isEqualTo(before);
  }

  @Test
  void withoutAFileThereAreNoContexts() {
    Cli home = Cli.plain().withVariables(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()));

    Cli.Run list = home.run("config", "get-contexts");
    Cli.Run current = home.run("config", "current-context");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .isEqualTo("no contexts are defined in " + dir.resolve("xdg/berth/config.toml") + "\n");
    assertThat(current.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(current.err()).startsWith("error: no current context is set in ");
  }

  @Test
  void aBadFileIsAnErrorNamingItAndTheKey() throws Exception {
    Files.writeString(config, "[contexts.rift]\naddress = 7443\n");

    Cli.Run run = cli.run("config", "get-contexts");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).startsWith("error: " + config + ": contexts.rift.address: must be a");
  }

  @Test
  void configWithoutASubcommandIsAUsageError() {
    Cli.Run run = cli.run("config");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: a config command is needed: get-contexts, current-context, use-context\n"
                + "Run 'berth config --help' for usage.\n");
  }
}
