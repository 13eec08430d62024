package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runner.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client configuration file: contexts, read and refused. */
class ClientConfigTest {

  @TempDir Path dir;

  ClientConfig read(String toml) {
    return ClientConfig.read(toml, dir.resolve("config.toml"));
  }

  String refusal(String toml) {
    return assertThatThrownBy(() -> read(toml))
        .isInstanceOf(ConfigException.class)
        .actual()
        .getMessage();
  }

  @Test
  void readsContextsInOrderWithPathsFromTheFilesDirectory() {
    ClientConfig config =
        read(
            """
            current_context = "rift"

            [contexts.rift]
            address = "10.0.0.5:7443"
            ca = "rift/ca.pem"
            cert = "rift/ops.pem"
            key = "/etc/berth/ops-key.pem"
            token_file = "rift/token"

            [contexts.local]
            socket = "/run/berth/berth.sock"
            """);

    assertThat(config.currentContext()).isEqualTo("rift");
    assertThat(config.contexts().keySet()).containsExactly("rift", "local");
    ClientConfig.Context rift = config.contexts().get("rift");
    assertThat(rift.address()).isEqualTo(new AgentAddress("10.0.0.5", 7443));
    assertThat(rift.ca()).isEqualTo(dir.resolve("rift/ca.pem"));
    assertThat(rift.key()).isEqualTo(Path.of("/etc/berth/ops-key.pem"));
    assertThat(rift.tokenFile()).isEqualTo(dir.resolve("rift/token"));
    assertThat(config.contexts().get("local").socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
    assertThat(config.contexts().get("local").agent()).isEqualTo("/run/berth/berth.sock");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheFileAndItsPath() {
    assertThat(refusal("[contexts.rift]\nsocket = \"s\"\ncerts = \"c.pem\"\n"))
        .isEqualTo(
            dir.resolve("config.toml")
                + ": contexts.rift.certs: unknown key; did you mean \"cert\"?");
  }

  @Test
  void aBadAddressIsRefused() {
    assertThat(refusal("[contexts.rift]\naddress = \"rift\"\ninsecure = true\n"))
        .endsWith(
            ": contexts.rift.address: must be HOST:PORT, such as 10.0.0.5:7443 or [::1]:7443, was"
                + " \"rift\"");
  }

  @Test
  void anAddressWithoutCertificatesNorInsecureIsRefused() {
    assertThat(refusal("[contexts.rift]\naddress = \"10.0.0.5:7443\"\ncert = \"c.pem\"\n"))
        .endsWith(
            ": contexts.rift: address needs cert and key (mutual TLS), or insecure = true for"
                + " plain TCP");
  }

  @Test
  void aContextNeedsAnAddressOrASocket() {
    assertThat(refusal("[contexts.empty]\n"))
        .endsWith(": contexts.empty: needs address (TCP) or socket (the agent's unix socket)");
  }

  @Test
  void socketAndAddressExcludeEachOther() {
    assertThat(refusal("[contexts.both]\nsocket = \"s\"\naddress = \"h:1\"\ninsecure = true\n"))
        .endsWith(": contexts.both.socket: excludes address: the agent is reached one way");
  }

  @Test
  void aSyntaxErrorNamesTheLine() {
    assertThat(refusal("current_context = \"a\"\n[contexts.a\n"))
        .startsWith(dir.resolve("config.toml") + ": line 2");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(refusal("colour = 1\n[contexts.a]\n[contexts.b]\nsocket = 3\n").lines()).hasSize(4);
  }

  @Test
  void anUnknownContextSuggestsTheClosest() {
    ClientConfig config =
        read("[contexts.rift]\nsocket = \"s\"\n[contexts.local]\nsocket = \"t\"\n");

    assertThatThrownBy(() -> config.context("rfit", "--context"))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "no context named \"rfit\" (--context) in "
                + dir.resolve("config.toml")
                + "; did you mean \"rift\"?");
    assertThatThrownBy(() -> config.context("prod", "--context"))
        .hasMessageEndingWith(" (its contexts are rift, local)");
  }

  @Test
  void theFileIsBerthClientConfigElseUnderXdgConfigHomeElseUnderHome() {
    assertThat(ClientConfig.location(environment(Map.of("BERTH_CLIENT_CONFIG", "/x/c.toml"))))
        .isEqualTo(Path.of("/x/c.toml"));
    assertThat(ClientConfig.location(environment(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"))))
        .isEqualTo(Path.of("/x/berth/config.toml"));
    assertThat(ClientConfig.location(environment(Map.of("HOME", "/h"))))
        .isEqualTo(Path.of("/h/.config/berth/config.toml"));
  }

  @Test
  void useContextReplacesTheLineInPlaceKeepingComments() {
    String text = "# mine\ncurrent_context = \"a\" # was\n\n[contexts.a]\nsocket = \"s\"\n";

    assertThat(ConfigCommand.withCurrent(text, "b"))
        .isEqualTo("# mine\ncurrent_context = \"b\"\n\n[contexts.a]\nsocket = \"s\"\n");
  }

  @Test
  void useContextAddsTheLineBeforeTheFirstTable() throws Exception {
    String text = "[contexts.a]\nsocket = \"s\"\n# current_context = \"x\"\n";

    String updated = ConfigCommand.withCurrent(text, "we\"ird");
    assertThat(updated).startsWith("current_context = \"we\\\"ird\"\n[contexts.a]");
    assertThat(ClientConfig.read(updated, dir.resolve("c.toml")).currentContext())
        .isEqualTo("we\"ird");
    assertThat(Files.exists(dir.resolve("c.toml"))).isFalse();
  }

  static CliEnvironment environment(Map<String, String> variables) {
    return new CliEnvironment(variables, java.time.Clock.systemUTC(), new ManualStopSignal());
  }
}
