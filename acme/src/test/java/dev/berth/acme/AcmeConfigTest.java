package dev.berth.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** ACME's settings check their own rules, the ones the agent's configuration reports. */
class AcmeConfigTest {

  private static final Path KEY = Path.of("/var/lib/berth/acme/account.pem");

  private static AcmeConfig.Builder builder(String directory) {
    return AcmeConfig.builder(URI.create(directory), KEY);
  }

  @Test
  void aDirectoryIsAnHttpUrlWithAHostOrAnAcmeUri() {
    assertThat(AcmeConfig.directory("https://acme-v02.api.letsencrypt.org/directory")).isNull();
    assertThat(AcmeConfig.directory("acme://letsencrypt.org/staging")).isNull();
    assertThatThrownBy(() -> builder("ftp://ca.example/").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("directory: must be the CA's directory URL such as");
    assertThat(AcmeConfig.directory("https:///nohost")).isNotNull();
  }

  @Test
  void theContactIsAnEmailAddress() {
    assertThatThrownBy(() -> builder("https://ca.example/dir").contactEmail("nobody").build())
        .hasMessage(
            "contactEmail: must be an email address such as ops@example.com, was \"nobody\"");
  }

  @Test
  void extraTrustNeedsAnHttpsDirectory() {
    assertThatThrownBy(
            () -> builder("http://ca.example/dir").extraTrust(Path.of("/etc/ca.pem")).build())
        .hasMessage(
            "extraTrust: needs an https directory URL (it adds trust for the ACME server's TLS)");
  }

  @Test
  void theHmacKeyIsBase64UrlAndNothingElse() {
    assertThat(AcmeConfig.ExternalAccountBinding.hmacKey("c2VjcmV0LWhtYWMta2V5")).isNull();
    assertThatThrownBy(
            () ->
                builder("https://ca.example/dir")
                    .externalAccountBinding("kid", "not base64!")
                    .build())
        .hasMessage("externalAccountBinding.hmacKey: must be base64url, as the CA hands it out");
  }
}
