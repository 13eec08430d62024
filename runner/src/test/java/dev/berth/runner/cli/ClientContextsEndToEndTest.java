package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.testing.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent serving mutual TLS on 127.0.0.1 and its unix socket, reached without connection
 * flags on every call: by BERTH_ADDRESS and its files, by a context of the client configuration,
 * and with the flags before the command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientContextsEndToEndTest {

  static final String OPERATOR = "CN=ops,O=example";

  @TempDir static Path directory;
  AgentProcess agent;
  int port;

  @BeforeAll
  void startAgent() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestPki pki = TestPki.create("CN=berth test CA");
    pki.writeCaCertificate(directory.resolve("ca.pem"));
    pki.issueServer("127.0.0.1").writeTo(directory, "agent");
    pki.issueClient(OPERATOR).writeTo(directory, "ops");
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [runtimes]
        enabled = ["process"]

        [metrics]
        listen = ""

        [api]
        socket = "berth.sock"
        tcp = "127.0.0.1:%d"

        [api.tls]
        cert_file = "agent.pem"
        key_file = "agent-key.pem"
        client_ca_file = "ca.pem"
        allowed_subjects = ["%s"]
        """
            .formatted(port, OPERATOR));
    Files.writeString(
        directory.resolve("config.toml"),
        """
        current_context = "rift"

        [contexts.rift]
        address = "127.0.0.1:%d"
        ca = "ca.pem"
        cert = "ops.pem"
        key = "ops-key.pem"

        [contexts.local]
        socket = "berth.sock"

        [contexts.stale]
        address = "127.0.0.1:1"
        insecure = true
        """
            .formatted(port));
    agent = AgentProcess.start(directory);
  }

  @AfterAll
  void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  Cli berth(Map<String, String> variables) {
    return Cli.plain().withVariables(variables);
  }

  String file(String name) {
    return directory.resolve(name).toString();
  }

  @Test
  void berthAddressAndItsCertificatesReachTheTlsAgent() {
    Cli.Run run =
        berth(
                Map.of(
                    "BERTH_ADDRESS", "127.0.0.1:" + port,
                    "BERTH_CA", file("ca.pem"),
                    "BERTH_CERT", file("ops.pem"),
                    "BERTH_KEY", file("ops-key.pem")))
            .run("status");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("no services are declared\n");
  }

  @Test
  void theCurrentContextReachesTheTlsAgent() {
    Cli.Run run = berth(Map.of("BERTH_CLIENT_CONFIG", file("config.toml"))).run("status");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aContextNamedBeforeTheCommandReachesTheAgentsSocket() {
    Cli.Run run =
        berth(Map.of("BERTH_CLIENT_CONFIG", file("config.toml"))).run("--context", "local", "node");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void flagsWinOverTheContext() {
    Cli.Run run =
        berth(Map.of("BERTH_CLIENT_CONFIG", file("config.toml")))
            .run("status", "--context", "stale", "--socket", file("berth.sock"));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void theContextInUseIsTheOneTried() {
    Cli.Run run =
        berth(Map.of("BERTH_CLIENT_CONFIG", file("config.toml"))).run("--context", "stale", "node");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).startsWith("error: cannot reach the Berth agent at 127.0.0.1:1: ");
  }

  @Test
  void tlsOptionsBeforeTheCommandReachTheTlsAgent() {
    Cli.Run run =
        berth(Map.of())
            .run(
                "--address",
                "127.0.0.1:" + port,
                "--ca",
                file("ca.pem"),
                "--cert",
                file("ops.pem"),
                "--key",
                file("ops-key.pem"),
                "status");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }
}
