package dev.berth.reconcilers.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateDirectoryTest {

  @TempDir Path temp;
  private Path root;
  private CertificateDirectory directory;
  private LocalCaIssuer ca;

  @BeforeEach
  void setUp() {
    root = temp.resolve("certs");
    directory = new CertificateDirectory(root);
    ca = new LocalCaIssuer(temp.resolve("ca"));
  }

  private IssuedCertificate issue(String... names) {
    return ca.issue(new CertificateRequest(names[0], List.of(names)));
  }

  @Test
  void aWrittenCertificateReadsBackAsTheSameChainAndKey() throws IOException {
    IssuedCertificate certificate = issue("web.example.net", "www.example.net");

    directory.write("web.example.net", certificate);

    IssuedCertificate read = directory.read("web.example.net").orElseThrow();
    assertThat(read.chain()).isEqualTo(certificate.chain());
    assertThat(read.privateKey().getEncoded()).isEqualTo(certificate.privateKey().getEncoded());
  }

  @Test
  void theFullChainFileHoldsTheLeafThenTheIntermediates() throws IOException {
    IssuedCertificate certificate = issue("web.example.net");

    CertificateDirectory.Stored stored = directory.write("web.example.net", certificate);

    assertThat(stored.fullChain()).isEqualTo(root.resolve("web.example.net/fullchain.pem"));
    assertThat(stored.privateKey()).isEqualTo(root.resolve("web.example.net/privkey.pem"));
    assertThat(Pem.decodeCertificates(Files.readString(stored.fullChain())))
        .containsExactly(certificate.leaf(), ca.caCertificate());
  }

  @Test
  void theKeyIsReadableByItsOwnerOnlyAndSoAreTheDirectories() throws IOException {
    CertificateDirectory.Stored stored =
        directory.write("web.example.net", issue("web.example.net"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.privateKey())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stored.privateKey().getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void aReplacedCertificateReadsBackAsTheNewPairAndLeavesNoTemporaryFiles() throws IOException {
    directory.write("web.example.net", issue("web.example.net"));
    IssuedCertificate renewed = issue("web.example.net");

    CertificateDirectory.Stored stored = directory.write("web.example.net", renewed);

    IssuedCertificate read = directory.read("web.example.net").orElseThrow();
    assertThat(read.fingerprint()).isEqualTo(renewed.fingerprint());
    assertThat(read.privateKey().getEncoded()).isEqualTo(renewed.privateKey().getEncoded());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.privateKey())))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(stored.fullChain().getParent())) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder("fullchain.pem", "privkey.pem");
    }
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsReportedAsDamaged() throws IOException {
    CertificateDirectory.Stored stored =
        directory.write("web.example.net", issue("web.example.net"));
    // What a crash between the two renames of a replacement leaves: the new key, the old chain.
    Files.writeString(
        stored.privateKey(), Pem.encodePrivateKey(issue("web.example.net").privateKey()));

    assertThatThrownBy(() -> directory.read("web.example.net"))
        .isInstanceOf(DamagedCertificateException.class)
        .hasMessageContaining(stored.privateKey().toString())
        .hasMessageContaining("not the key of the certificate");
  }

  @Test
  void aTruncatedChainIsReportedAsDamagedNamingTheFile() throws IOException {
    CertificateDirectory.Stored stored =
        directory.write("web.example.net", issue("web.example.net"));
    String chain = Files.readString(stored.fullChain());
    Files.writeString(stored.fullChain(), chain.substring(0, chain.length() / 3));

    assertThatThrownBy(() -> directory.read("web.example.net"))
        .isInstanceOf(DamagedCertificateException.class)
        .hasMessageStartingWith(stored.fullChain() + " is damaged");
  }

  @Test
  void aChainWithoutItsKeyIsReportedAsDamaged() throws IOException {
    CertificateDirectory.Stored stored =
        directory.write("web.example.net", issue("web.example.net"));
    Files.delete(stored.privateKey());

    assertThatThrownBy(() -> directory.read("web.example.net"))
        .isInstanceOf(DamagedCertificateException.class)
        .hasMessageContaining(stored.privateKey() + " is damaged: it is missing");
  }

  @Test
  void aNameNeverWrittenReadsAsEmpty() throws IOException {
    assertThat(directory.read("web.example.net")).isEmpty();
  }

  @Test
  void aWildcardIsStoredUnderAnUnderscoreDirectory() throws IOException {
    IssuedCertificate certificate = issue("*.example.net");

    CertificateDirectory.Stored stored = directory.write("*.example.net", certificate);

    assertThat(stored.fullChain().getParent()).isEqualTo(root.resolve("_wildcard.example.net"));
    assertThat(directory.read("*.example.net").orElseThrow().fingerprint())
        .isEqualTo(certificate.fingerprint());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../etc",
        "a/b",
        "web.example.net/..",
        "a\\b",
        "a..b",
        ".hidden",
        "",
        "*",
        "*.*.example.net",
        "foo*.example.net",
        "web_x.example.net",
        "_wildcard.example.net"
      })
  void aNameThatIsNotAHostnameIsRefused(String name) {
    IssuedCertificate certificate = issue("web.example.net");

    assertThatThrownBy(() -> directory.write(name, certificate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name.isEmpty() ? "must not be empty" : "'" + name + "' is not a");
    assertThat(root).doesNotExist();
  }

  @Test
  void deleteRemovesTheFilesAndTheirDirectory() throws IOException {
    CertificateDirectory.Stored stored =
        directory.write("web.example.net", issue("web.example.net"));

    directory.delete("web.example.net");

    assertThat(stored.fullChain().getParent()).doesNotExist();
    assertThat(directory.read("web.example.net")).isEmpty();
  }
}
