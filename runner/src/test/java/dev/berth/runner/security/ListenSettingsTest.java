package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class ListenSettingsTest {

  private static final Path FILE = Path.of("x.pem");

  @Test
  void needsAtLeastOneListener() {
    assertThatThrownBy(() -> new ListenSettings(null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no listener: set a unix socket, a TCP address, or both");
  }

  @Test
  void needsAnAllowedSubjectForMutualTls() {
    assertThatThrownBy(() -> new TlsSettings(FILE, FILE, FILE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowedSubjects: must not be empty");
  }

  @Test
  void namesTheAllowedSubjectThatIsNotADistinguishedName() {
    assertThatThrownBy(() -> new TlsSettings(FILE, FILE, FILE, List.of("CN=ops", "ops")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowedSubjects[1]: must be a distinguished name in RFC 2253 form such as"
                + " \"CN=ops,O=example\", was \"ops\"");
  }

  @Test
  void readsAllowedSubjectsAsPrincipals() {
    TlsSettings tls = new TlsSettings(FILE, FILE, FILE, List.of("CN=ops, O=example", "CN=ci"));

    assertThat(tls.allowedPrincipals())
        .containsExactly(new X500Principal("CN=ops,O=example"), new X500Principal("CN=ci"));
  }
}
