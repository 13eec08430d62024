package dev.berth.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.KeyMatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACME issuer against a real pebble, validating http-01 for real. */
class AcmeIssuerTest {

  private static final int DNS_NAME = 2;

  private static EmbeddedHttp01Server responder;
  private static PebbleTestEnvironment pebble;

  @TempDir Path temp;

  @BeforeAll
  static void startPebble() throws Exception {
    responder =
        EmbeddedHttp01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    pebble = PebbleTestEnvironment.start(responder.address().getPort(), Map.of());
  }

  @AfterAll
  static void stopPebble() throws Exception {
    try {
      if (pebble != null) {
        pebble.close();
      }
    } finally {
      if (responder != null) {
        responder.close();
      }
    }
  }

  private AcmeConfig.Builder config() {
    return AcmeConfig.builder(pebble.directoryUrl(), temp.resolve("acme/account-key.pem"))
        .contactEmail("ops@example.test")
        .extraTrust(pebble.tlsCa())
        .challengeTimeout(Duration.ofSeconds(30))
        .orderTimeout(Duration.ofSeconds(60));
  }

  @Test
  void issuesACertificateWhoseFullChainVerifiesAgainstPebblesRoot() throws Exception {
    AcmeIssuer issuer = new AcmeIssuer(config().build(), responder);

    IssuedCertificate certificate =
        issuer.issue(
            new CertificateRequest(
                "web.example.test", List.of("web.example.test", "www.example.test")));

    assertThat(certificate.chain()).as("leaf and at least one intermediate").hasSizeGreaterThan(1);
    assertThat(dnsNames(certificate.leaf()))
        .containsExactlyInAnyOrder("web.example.test", "www.example.test");
    assertThat(certificate.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(KeyMatch.belongTogether(certificate.privateKey(), certificate.leaf().getPublicKey()))
        .isTrue();
    PKIXParameters parameters =
        new PKIXParameters(Set.of(new TrustAnchor(pebble.issuingRoot(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(certificate.chain()),
            parameters);
  }

  @Test
  void theAccountKeyIsCreatedOnFirstUseOwnerOnlyAndReusedAfter() throws Exception {
    Path keyFile = temp.resolve("acme/account-key.pem");
    new AcmeIssuer(config().build(), responder).issue(CertificateRequest.of("first.example.test"));
    String key = Files.readString(keyFile);

    new AcmeIssuer(config().build(), responder).issue(CertificateRequest.of("second.example.test"));

    assertThat(Files.readString(keyFile)).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
  }

  @Test
  void aChallengeThatCannotBeReachedFailsNamingTheDomainAndIsRetryable() throws Exception {
    // The name points where nothing listens: the answer is published, but unreachable.
    pebble.resolve("unreachable.example.test", "127.0.0.2");
    AcmeIssuer issuer = new AcmeIssuer(config().build(), responder);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("unreachable.example.test")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageStartingWith("acme: authorization for unreachable.example.test failed: ")
        .hasMessageContaining("connection refused");
  }

  @Test
  void aChallengeAnsweredWithNothingFailsForGood() {
    Http01Responder silent =
        new Http01Responder() {
          @Override
          public void publish(String token, String content) {}

          @Override
          public void withdraw(String token) {}
        };
    AcmeIssuer issuer = new AcmeIssuer(config().build(), silent);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("silent.example.test")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageStartingWith("acme: authorization for silent.example.test failed: ")
        .hasMessageContaining("404");
  }

  @Test
  void aWildcardNameFailsForGoodSayingItNeedsDns01() {
    AcmeIssuer issuer = new AcmeIssuer(config().build(), responder);

    assertThatThrownBy(
            () ->
                issuer.issue(
                    new CertificateRequest(
                        "example.test", List.of("example.test", "*.example.test"))))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("*.example.test")
        .hasMessageContaining("needs dns-01, which Berth's ACME issuer does not do");
  }

  @Test
  void anAcmeServerThatCannotBeReachedIsRetryable() {
    URI nobody = URI.create("https://127.0.0.1:" + PebbleTestEnvironment.freeTcpPort() + "/dir");
    AcmeIssuer issuer =
        new AcmeIssuer(
            AcmeConfig.builder(nobody, temp.resolve("account-key.pem"))
                .extraTrust(pebble.tlsCa())
                .build(),
            responder);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("web.example.test")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("cannot reach the ACME server");
  }

  private static List<String> dnsNames(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .filter(name -> (Integer) name.get(0) == DNS_NAME)
        .map(name -> (String) name.get(1))
        .toList();
  }
}
