package dev.berth.reconcilers.cert.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.KeyMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaIssuerTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final int DNS_NAME = 2;

  @TempDir Path directory;

  @Test
  void issuesALeafForEveryNameThatVerifiesAgainstTheCa() throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(directory);

    IssuedCertificate certificate =
        issuer.issue(
            new CertificateRequest("api.internal", List.of("api.internal", "*.api.internal")));

    assertThat(certificate.chain()).hasSize(2);
    assertThat(certificate.chain().get(1)).isEqualTo(issuer.caCertificate());
    assertThat(dnsNames(certificate.leaf())).containsExactly("api.internal", "*.api.internal");
    assertThat(certificate.leaf().getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(certificate.leaf().getBasicConstraints()).isEqualTo(-1);
    assertThat(KeyMatch.belongTogether(certificate.privateKey(), certificate.leaf().getPublicKey()))
        .isTrue();
    validate(certificate.leaf(), issuer.caCertificate());
  }

  @Test
  void theLeafKeyAndTheCaKeyAreEcdsaP256() {
    LocalCaIssuer issuer = new LocalCaIssuer(directory);

    IssuedCertificate certificate = issuer.issue(CertificateRequest.of("api.internal"));

    assertThat(certificate.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(certificate.leaf().getPublicKey().toString()).contains("secp256r1");
    assertThat(issuer.caCertificate().getPublicKey().toString()).contains("secp256r1");
  }

  @Test
  void theLeafIsValidForTheConfiguredPeriodFromNow() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    LocalCaIssuer issuer =
        new LocalCaIssuer(directory, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));

    IssuedCertificate certificate = issuer.issue(CertificateRequest.of("api.internal"));

    assertThat(certificate.notBefore()).isEqualTo(now);
    assertThat(certificate.notAfter()).isEqualTo(now.plus(Duration.ofDays(30)));
  }

  @Test
  void withoutAConfiguredPeriodTheLeafIsValidNinetyDays() {
    IssuedCertificate certificate =
        new LocalCaIssuer(directory).issue(CertificateRequest.of("api.internal"));

    assertThat(Duration.between(certificate.notBefore(), certificate.notAfter()))
        .isEqualTo(Duration.ofDays(90))
        .isEqualTo(LocalCaIssuer.DEFAULT_LEAF_VALIDITY);
  }

  @Test
  void theCaIsValidTenYears() {
    X509Certificate ca = new LocalCaIssuer(directory).caCertificate();

    assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(3650));
    assertThat(ca.getBasicConstraints()).isEqualTo(0);
  }

  @Test
  void aNewInstanceOnTheSameDirectoryReusesTheCa() throws Exception {
    X509Certificate first = new LocalCaIssuer(directory).caCertificate();

    LocalCaIssuer restarted = new LocalCaIssuer(directory);
    IssuedCertificate certificate = restarted.issue(CertificateRequest.of("api.internal"));

    assertThat(restarted.caCertificate()).isEqualTo(first);
    validate(certificate.leaf(), first);
  }

  @Test
  void theCaKeyIsReadableByItsOwnerOnlyAndTheCertificateIsPublished() throws Exception {
    LocalCaIssuer issuer = new LocalCaIssuer(directory.resolve("ca"));

    issuer.issue(CertificateRequest.of("api.internal"));

    assertThat(mode(directory.resolve("ca/ca-key.pem"))).isEqualTo("rw-------");
    assertThat(mode(directory.resolve("ca"))).isEqualTo("rwx------");
    assertThat(issuer.caCertificateFile()).isEqualTo(directory.resolve("ca/ca.pem"));
    assertThat(Files.readString(issuer.caCertificateFile())).isEqualTo(issuer.caCertificatePem());
    X509Certificate fromFile =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(issuer.caCertificateFile()));
    assertThat(fromFile).isEqualTo(issuer.caCertificate());
  }

  @Test
  void aCaWhoseKeyIsLostIsReportedNotReplaced() throws Exception {
    X509Certificate original = new LocalCaIssuer(directory).caCertificate();
    Files.delete(directory.resolve("ca-key.pem"));

    assertThatThrownBy(
            () -> new LocalCaIssuer(directory).issue(CertificateRequest.of("a.internal")))
        .isInstanceOf(IssuanceException.class)
        .hasMessageContaining("ca-key.pem does not");
    assertThat(Files.readString(directory.resolve("ca.pem")))
        .isEqualTo(dev.berth.reconcilers.cert.Pem.encodeCertificates(List.of(original)));
  }

  @Test
  void aNameThatIsNotAHostnameIsRefusedForGood() {
    LocalCaIssuer issuer = new LocalCaIssuer(directory);

    assertThatThrownBy(() -> issuer.issue(CertificateRequest.of("bad name.internal")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("'bad name.internal' is not a hostname");
  }

  private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(leaf.getNotBefore().toInstant().plusSeconds(60)));
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }

  private static List<String> dnsNames(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .filter(name -> (Integer) name.get(0) == DNS_NAME)
        .map(name -> (String) name.get(1))
        .toList();
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
