package dev.berth.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACME issuer against a pebble that only accepts accounts with an external account binding. */
class AcmeIssuerExternalAccountBindingTest {

  private static final String KEY_ID = "berth-test-kid";
  private static final String MAC_KEY = randomMacKey();

  private static EmbeddedHttp01Server responder;
  private static PebbleTestEnvironment pebble;

  @TempDir Path temp;

  @BeforeAll
  static void startPebble() throws Exception {
    responder =
        EmbeddedHttp01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    pebble = PebbleTestEnvironment.start(responder.address().getPort(), Map.of(KEY_ID, MAC_KEY));
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
    return AcmeConfig.builder(pebble.directoryUrl(), temp.resolve("account-key.pem"))
        .extraTrust(pebble.tlsCa())
        .challengeTimeout(Duration.ofSeconds(30))
        .orderTimeout(Duration.ofSeconds(60));
  }

  @Test
  void withTheRightBindingTheAccountIsRegisteredAndACertificateIssued() {
    AcmeIssuer issuer =
        new AcmeIssuer(config().externalAccountBinding(KEY_ID, MAC_KEY).build(), responder);

    IssuedCertificate certificate = issuer.issue(CertificateRequest.of("bound.example.test"));

    assertThat(certificate.chain()).hasSizeGreaterThan(1);
    assertThat(certificate.leaf().getSubjectX500Principal().getName())
        .isEqualTo("CN=bound.example.test");
  }

  @Test
  void aWrongMacKeyFailsClearlyAndForGood() {
    AcmeIssuer issuer =
        new AcmeIssuer(config().externalAccountBinding(KEY_ID, randomMacKey()).build(), responder);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("bound.example.test")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageStartingWith(
            "acme: finding or registering the account at " + pebble.directoryUrl() + " failed: ")
        .hasMessageContaining("external account binding JWS verification error")
        .hasMessageContaining("check externalAccountBinding");
  }

  @Test
  void withoutABindingRegistrationIsRefusedForGood() {
    AcmeIssuer issuer = new AcmeIssuer(config().build(), responder);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("bound.example.test")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("finding or registering the account")
        .hasMessageContaining("must include a value for the 'externalAccountBinding' field");
  }

  private static String randomMacKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
