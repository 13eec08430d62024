package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.testing.TestPki;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsListenerTest {

  private static final String OPS = "CN=ops,O=example";

  @TempDir Path directory;

  private final TestClients clients = new TestClients();
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<ApiServers> started = new ArrayList<>();

  private final TestPki pki = TestPki.create("CN=Berth Test CA");
  private Path caFile;
  private TestPki.PemFiles serverFiles;

  @BeforeEach
  void writePki() throws IOException {
    caFile = pki.writeCaCertificate(directory.resolve("ca.pem"));
    serverFiles = pki.issueServer("127.0.0.1", "localhost").writeTo(directory, "server");
  }

  @AfterEach
  void closeEverything() {
    clients.close();
    started.forEach(ApiServers::close);
  }

  private TlsSettings tls(String... allowedSubjects) {
    return new TlsSettings(
        serverFiles.certificateChain(), serverFiles.privateKey(), caFile, List.of(allowedSubjects));
  }

  private InetSocketAddress start(ListenSettings settings) throws IOException {
    ApiServers servers = ApiServers.builder(settings).addService(health.getHealthService()).start();
    started.add(servers);
    return servers.tcpAddress().orElseThrow();
  }

  private InetSocketAddress start(TlsSettings tls) throws IOException {
    return start(
        ListenSettings.tcp(TcpSettings.mutualTls(new InetSocketAddress("127.0.0.1", 0), tls)));
  }

  private TestPki.PemFiles client(TestPki issuer, String subject, String name) throws IOException {
    return issuer.issueClient(subject).writeTo(directory, name);
  }

  @Test
  void servesAClientWithAnAllowedSubject() throws IOException {
    InetSocketAddress address = start(tls(OPS));

    ServingStatus status = TestClients.check(clients.tls(address, caFile, client(pki, OPS, "ops")));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void comparesSubjectsCanonically() throws IOException {
    InetSocketAddress address = start(tls("cn=OPS, o=Example"));

    ServingStatus status = TestClients.check(clients.tls(address, caFile, client(pki, OPS, "ops")));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void deniesAClientOfTheCaWithAnotherSubject() throws IOException {
    InetSocketAddress address = start(tls(OPS));
    TestPki.PemFiles intruder = client(pki, "CN=intruder,O=example", "intruder");

    StatusRuntimeException error =
        TestClients.checkFails(clients.tls(address, caFile, intruder), null);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(error.getStatus().getDescription()).contains("\"CN=intruder,O=example\"");
  }

  @Test
  void refusesAClientWithoutACertificateAsUnauthenticated() throws IOException {
    InetSocketAddress address = start(tls(OPS));

    StatusRuntimeException error = TestClients.checkFails(clients.tls(address, caFile, null), null);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(error.getStatus().getDescription())
        .contains("a client certificate issued by the agent's client CA is required");
  }

  @Test
  void refusesAClientWhoseCertificateIsFromAnotherCaAsUnauthenticated() throws IOException {
    InetSocketAddress address = start(tls(OPS));
    // Same subject, but signed by a CA the agent does not trust. The client's TLS stack only
    // presents a certificate from a CA the server names in its request, so it presents none.
    TestPki.PemFiles foreign = client(TestPki.create("CN=Other CA"), OPS, "foreign");

    StatusRuntimeException error =
        TestClients.checkFails(clients.tls(address, caFile, foreign), null);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void failsTheHandshakeOfACertificateFromAnotherCaPresentedAnyway()
      throws IOException, GeneralSecurityException {
    InetSocketAddress address = start(tls(OPS));
    TestPki.Issued foreign = TestPki.create("CN=Other CA").issueClient(OPS);

    StatusRuntimeException error =
        TestClients.checkFails(clients.tlsPresentingAnyway(address, caFile, foreign), null);

    // The TLS layer rejects the chain: the connection fails before any call reaches the agent.
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void servesAClientPresentingAnAllowedCertificateWhateverItsKeyManager()
      throws IOException, GeneralSecurityException {
    InetSocketAddress address = start(tls(OPS));

    ServingStatus status =
        TestClients.check(clients.tlsPresentingAnyway(address, caFile, pki.issueClient(OPS)));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void servesATls12Client() throws IOException {
    InetSocketAddress address = start(tls(OPS));

    ServingStatus status =
        TestClients.check(clients.tls(address, caFile, client(pki, OPS, "ops"), "TLSv1.2"));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void requiresTheTokenTooWhenATokenFileIsSet() throws IOException {
    Path tokenFile = TokenFiles.write(directory, "0123456789abcdef0123456789abcdef");
    InetSocketAddress address =
        start(
            ListenSettings.tcp(
                    TcpSettings.mutualTls(new InetSocketAddress("127.0.0.1", 0), tls(OPS)))
                .withTokenFile(tokenFile));
    var channel = clients.tls(address, caFile, client(pki, OPS, "ops"));

    assertThat(TestClients.checkFails(channel, null).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(TestClients.check(channel, BearerTokenCredentials.fromFile(tokenFile)))
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void reportsThePortChosenForPortZero() throws IOException {
    InetSocketAddress address = start(tls(OPS));

    assertThat(address.getPort()).isPositive();
    assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void refusesToStartWithoutTheCertificateFile() {
    TlsSettings missing =
        new TlsSettings(
            directory.resolve("missing.pem"), serverFiles.privateKey(), caFile, List.of(OPS));

    assertThatThrownBy(() -> start(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(
            "mutual TLS: certificate chain file "
                + directory.resolve("missing.pem")
                + " does not exist");
  }

  @Test
  void refusesToStartWithAKeyFileThatHoldsNoKey() {
    TlsSettings wrong =
        new TlsSettings(serverFiles.certificateChain(), caFile, caFile, List.of(OPS));

    assertThatThrownBy(() -> start(wrong))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "mutual TLS: cannot load the certificate chain "
                + serverFiles.certificateChain()
                + " with the private key "
                + caFile);
  }
}
