package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AgentProto;
import dev.berth.reconcilers.testing.TestPki;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the CLI reaches the agent, and what it says when it cannot. */
class ConnectionTest extends FakeAgentTest {

  @Test
  void theSocketComesFromBerthSocket() {
    Cli.Run run = cli.run("status");

    assertThat(run.exitCode()).isZero();
    assertThat(agent.requests(AgentProto.ListServicesRequest.class)).hasSize(1);
  }

  @Test
  void socketOverridesBerthSocket() {
    Cli.Run run =
        Cli.plain()
            .withVariables(Map.of("BERTH_SOCKET", dir.resolve("elsewhere.sock").toString()))
            .run("status", "--socket", socket.toString());

    assertThat(run.exitCode()).isZero();
  }

  @Test
  void connectionOptionsGoBeforeTheCommandToo() {
    Cli.Run run = Cli.plain().run("--socket", socket.toString(), "status");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void anOptionAfterTheCommandWinsOverTheSameBeforeIt() {
    Cli.Run run =
        Cli.plain()
            .run(
                "--socket",
                dir.resolve("elsewhere.sock").toString(),
                "status",
                "--socket",
                socket.toString());

    assertThat(run.exitCode()).isZero();
  }

  @Test
  void optionsBeforeAndAfterTheCommandCombine() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");

    Cli.Run run =
        Cli.plain().run("--token-file", token.toString(), "status", "--socket", socket.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(server.lastAuthorization).isEqualTo("Bearer s3cret");
  }

  @Test
  void optionsBeforeTheCommandAreCheckedAsAfterIt() {
    Cli.Run run = Cli.plain().run("--cert", "client.pem", "status");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: --cert, --key, --ca and --insecure go with --address\n"
                + "Run 'berth status --help' for usage.\n");
  }

  @Test
  void withoutSocketFileTheDefaultSocketIsReportedMissingWithExit3() {
    assertThat(Files.exists(Path.of("berth.sock")))
        .as("a berth.sock in the test's directory")
        .isFalse();

    Cli.Run run = Cli.plain().run("status");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .isEqualTo(
            "error: cannot reach the Berth agent at ./berth.sock: no such socket (is `berth agent`"
                + " running?)\n");
  }

  @Test
  void aSocketNobodyListensOnIsUnreachable() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThat(stale).exists();

    Cli.Run run = cli.run("status", "--socket", stale.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .isEqualTo("error: cannot reach the Berth agent at " + stale + ": Connection refused\n");
  }

  @Test
  void aFileThatIsNoSocketIsReportedAsSuch() throws Exception {
    Path file = Files.writeString(dir.resolve("berth.toml"), "");

    Cli.Run run = cli.run("status", "--socket", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).contains("not a socket");
  }

  @Test
  void plainTcpWithInsecure() throws Exception {
    try (FakeAgentServer tcp = FakeAgentServer.onTcp(null, agent)) {
      Cli.Run run = cli.run("status", "--address", "127.0.0.1:" + tcp.port(), "--insecure");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("no services are declared\n");
    }
  }

  @Test
  void mutualTlsWithTheClientsCertificate() throws Exception {
    TestPki ca = TestPki.create("CN=node-ca");
    Path caFile = ca.writeCaCertificate(dir.resolve("node-ca.pem"));
    TestPki.PemFiles serverCert = ca.issueServer("127.0.0.1").writeTo(dir, "agent");
    TestPki.PemFiles clientCert = ca.issueClient("CN=ops").writeTo(dir, "ops");
    SslContext tls =
        GrpcSslContexts.forServer(
                serverCert.certificateChain().toFile(), serverCert.privateKey().toFile())
            .trustManager(caFile.toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    try (FakeAgentServer tcp = FakeAgentServer.onTcp(tls, agent)) {
      Cli.Run run =
          cli.run(
              "status",
              "--address",
              "127.0.0.1:" + tcp.port(),
              "--cert",
              clientCert.certificateChain().toString(),
              "--key",
              clientCert.privateKey().toString(),
              "--ca",
              caFile.toString());

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
    }
  }

  @Test
  void aClientCertificateTheAgentDoesNotTrustGetsNoAnswer() throws Exception {
    TestPki ca = TestPki.create("CN=node-ca");
    Path caFile = ca.writeCaCertificate(dir.resolve("node-ca.pem"));
    TestPki stranger = TestPki.create("CN=other-ca");
    TestPki.PemFiles serverCert = ca.issueServer("127.0.0.1").writeTo(dir, "agent");
    TestPki.PemFiles clientCert = stranger.issueClient("CN=intruder").writeTo(dir, "intruder");
    SslContext tls =
        GrpcSslContexts.forServer(
                serverCert.certificateChain().toFile(), serverCert.privateKey().toFile())
            .trustManager(caFile.toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    try (FakeAgentServer tcp = FakeAgentServer.onTcp(tls, agent)) {
      Cli.Run run =
          cli.run(
              "status",
              "--address",
              "127.0.0.1:" + tcp.port(),
              "--cert",
              clientCert.certificateChain().toString(),
              "--key",
              clientCert.privateKey().toString(),
              "--ca",
              caFile.toString());

      // gRPC reports a failed handshake as UNAVAILABLE; the message carries TLS's reason.
      assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(run.err())
          .startsWith("error: cannot reach the Berth agent at 127.0.0.1:" + tcp.port() + ": ")
          .contains("CERTIFICATE");
      assertThat(agent.requests).isEmpty();
    }
  }

  @Test
  void theTokenFileIsSentAsABearerToken() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");

    Cli.Run run = cli.run("status", "--token-file", token.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(server.lastAuthorization).isEqualTo("Bearer s3cret");
  }

  @Test
  void theTokenFileComesFromBerthTokenFile() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "from-env");

    Cli.Run run =
        cli.withVariables(
                Map.of("BERTH_SOCKET", socket.toString(), "BERTH_TOKEN_FILE", token.toString()))
            .run("status");

    assertThat(run.exitCode()).isZero();
    assertThat(server.lastAuthorization).isEqualTo("Bearer from-env");
  }

  @Test
  void withoutTokenNoAuthorizationIsSent() {
    cli.run("status");

    assertThat(server.lastAuthorization).isNull();
  }

  @Test
  void aMissingTokenFileIsAnErrorBeforeAnyCall() {
    Cli.Run run = cli.run("status", "--token-file", dir.resolve("nope").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo("error: cannot read the token file " + dir.resolve("nope") + ": no such file\n");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void anAgentThatDoesNotAnswerInTimeExits7() {
    agent.delay = Duration.ofMillis(1500);

    Cli.Run run = cli.run("status", "--timeout", "200ms");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.TIMED_OUT);
    assertThat(run.err())
        .isEqualTo("error: the agent at " + socket + " did not answer within 200ms\n");
  }

  @Test
  void aRefusedTokenExits6() {
    agent.fail(
        "ListServices", Status.UNAUTHENTICATED.withDescription("a bearer token is required"));

    Cli.Run run = cli.run("status");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.err())
        .isEqualTo("error: not authenticated by the agent: a bearer token is required\n");
  }

  @Test
  void tlsOptionsWithoutAddressAreAUsageError() {
    Cli.Run run = cli.run("status", "--cert", "client.pem");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --cert, --key, --ca and --insecure go with --address");
  }

  @Test
  void anAddressNeedsCertificatesOrInsecure() {
    Cli.Run run = cli.run("status", "--address", "127.0.0.1:7443");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "error: --address needs --cert and --key (mutual TLS), or --insecure for plain TCP");
  }

  @Test
  void anAddressWithoutPortIsAUsageError() {
    Cli.Run run = cli.run("status", "--address", "localhost", "--insecure");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --address must be HOST:PORT");
  }

  @Test
  void socketAndAddressExcludeEachOther() {
    Cli.Run run =
        cli.run("status", "--socket", socket.toString(), "--address", "[::1]:7443", "--insecure");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aBadTimeoutIsAUsageError() {
    Cli.Run run = cli.run("status", "--timeout", "30");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("must be a number and a unit");
  }
}
