package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runner.cli.ConnectionSettings.Flags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent is: flags over environment over the context over the defaults. */
class ConnectionSettingsTest {

  static final Flags NONE = new Flags(null, null, null, null, null, false, null, null);

  @TempDir Path dir;
  Path config;
  Map<String, String> variables = new HashMap<>();

  @BeforeEach
  void contexts() throws Exception {
    config =
        Files.writeString(
            dir.resolve("config.toml"),
            """
            current_context = "rift"

            [contexts.rift]
            address = "10.0.0.5:7443"
            ca = "ca.pem"
            cert = "ops.pem"
            key = "ops-key.pem"
            token_file = "token"

            [contexts.local]
            socket = "/run/berth/berth.sock"

            [contexts.plain]
            address = "127.0.0.1:7080"
            insecure = true
            """);
    variables.put("BERTH_CLIENT_CONFIG", config.toString());
  }

  ConnectionSettings resolve(Flags flags) {
    return ConnectionSettings.resolve(
        flags, ClientConfigTest.environment(variables), IllegalArgumentException::new);
  }

  static Flags socket(String path) {
    return new Flags(Path.of(path), null, null, null, null, false, null, null);
  }

  static Flags context(String name) {
    return new Flags(null, null, null, null, null, false, null, name);
  }

  @Test
  void withoutFlagsNorVariablesTheCurrentContext() {
    ConnectionSettings settings = resolve(NONE);

    assertThat(settings.address()).isEqualTo(new AgentAddress("10.0.0.5", 7443));
    assertThat(settings.cert().file()).isEqualTo(dir.resolve("ops.pem"));
    assertThat(settings.cert().origin()).isEqualTo(config + ": contexts.rift.cert");
    assertThat(settings.tokenFile().file()).isEqualTo(dir.resolve("token"));
  }

  @Test
  void withoutAnyOfThemTheDefaultSocket() {
    // No file at the default location ($HOME/.config/berth/config.toml) is no context.
    variables.put("HOME", dir.toString());
    variables.remove("BERTH_CLIENT_CONFIG");

    ConnectionSettings settings = resolve(NONE);

    assertThat(settings.socket()).isEqualTo(Path.of("./berth.sock"));
    assertThat(settings.tokenFile()).isNull();
  }

  @Test
  void contextFlagOverCurrentContext() {
    assertThat(resolve(context("local")).socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
  }

  @Test
  void aContextOfPlainTcp() {
    ConnectionSettings settings = resolve(context("plain"));

    assertThat(settings.insecure()).isTrue();
    assertThat(settings.address()).isEqualTo(new AgentAddress("127.0.0.1", 7080));
  }

  @Test
  void variablesOverTheContext() {
    variables.put("BERTH_SOCKET", "/tmp/env.sock");

    assertThat(resolve(NONE).socket()).isEqualTo(Path.of("/tmp/env.sock"));
  }

  @Test
  void berthAddressAndItsFilesOverTheContextsOneByOne() {
    variables.put("BERTH_ADDRESS", "10.0.0.9:7443");
    variables.put("BERTH_CERT", "/env/cert.pem");

    ConnectionSettings settings = resolve(NONE);

    assertThat(settings.address()).isEqualTo(new AgentAddress("10.0.0.9", 7443));
    assertThat(settings.cert().file()).isEqualTo(Path.of("/env/cert.pem"));
    assertThat(settings.cert().origin()).isEqualTo("BERTH_CERT");
    assertThat(settings.key().file()).isEqualTo(dir.resolve("ops-key.pem"));
  }

  @Test
  void flagsOverVariables() {
    variables.put("BERTH_SOCKET", "/tmp/env.sock");
    variables.put("BERTH_TOKEN_FILE", "/env/token");

    ConnectionSettings settings =
        resolve(new Flags(null, null, null, null, null, false, Path.of("flag-token"), "local"));

    assertThat(settings.tokenFile().file()).isEqualTo(Path.of("flag-token"));
    assertThat(settings.socket()).isEqualTo(Path.of("/tmp/env.sock"));
    assertThat(resolve(socket("/flag.sock")).socket()).isEqualTo(Path.of("/flag.sock"));
  }

  @Test
  void aSocketFlagLeavesTheContextsTlsFilesAside() {
    ConnectionSettings settings = resolve(socket("/flag.sock"));

    assertThat(settings.address()).isNull();
    assertThat(settings.cert()).isNull();
  }

  @Test
  void berthSocketAndBerthAddressBothSetIsAUsageError() {
    variables.put("BERTH_SOCKET", "/tmp/env.sock");
    variables.put("BERTH_ADDRESS", "10.0.0.9:7443");

    assertThatThrownBy(() -> resolve(NONE))
        .hasMessageStartingWith("BERTH_SOCKET and BERTH_ADDRESS are both set");
  }

  @Test
  void aBadBerthAddressIsNamed() {
    variables.put("BERTH_ADDRESS", "rift");

    assertThatThrownBy(() -> resolve(NONE))
        .hasMessage(
            "BERTH_ADDRESS must be HOST:PORT, such as 10.0.0.5:7443 or [::1]:7443, was \"rift\"");
  }

  @Test
  void berthAddressWithoutAnyCertificateSaysWhereOneComesFrom() throws Exception {
    Files.writeString(config, "# no contexts\n");
    variables.put("BERTH_ADDRESS", "10.0.0.9:7443");

    assertThatThrownBy(() -> resolve(NONE))
        .hasMessage(
            "BERTH_ADDRESS 10.0.0.9:7443 needs a client certificate and key (--cert and --key, or"
                + " BERTH_CERT and BERTH_KEY), or --insecure for plain TCP");
  }

  @Test
  void anUnknownContextIsAnErrorNamingTheFile() {
    assertThatThrownBy(() -> resolve(context("lcoal")))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "no context named \"lcoal\" (--context) in " + config + "; did you mean \"local\"?");
  }

  @Test
  void aCurrentContextThatIsNoMoreIsNamedAsTheFilesKey() throws Exception {
    Files.writeString(config, "current_context = \"gone\"\n[contexts.a]\nsocket = \"s\"\n");

    assertThatThrownBy(() -> resolve(NONE))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "no context named \"gone\" ("
                + config
                + ": current_context) in "
                + config
                + " (its contexts are a)");
  }

  @Test
  void aNamedConfigFileThatDoesNotExistIsAnError() {
    variables.put("BERTH_CLIENT_CONFIG", dir.resolve("absent.toml").toString());

    assertThatThrownBy(() -> resolve(NONE))
        .isInstanceOf(CliException.class)
        .hasMessage(dir.resolve("absent.toml") + ": no such file");
  }

  @Test
  void aBadConfigFileIsAnErrorEvenWithFlagsThatNeedNothingOfIt() throws Exception {
    Files.writeString(config, "[contexts.a]\nsokcet = \"s\"\n");

    assertThatThrownBy(() -> resolve(socket("/flag.sock")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(
            config + ": contexts.a.sokcet: unknown key; did you mean \"socket\"?");
  }
}
