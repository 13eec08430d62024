package dev.berth.runner.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA and the certificates it signs, written as PEM files: real TLS for the mTLS tests. */
final class TestCertificates {

  /**
   * A certificate and its key, as files.
   *
   * @param cert the certificate (PEM)
   * @param key its private key (PEM, PKCS#8)
   */
  record Issued(Path cert, Path key) {}

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private long serial = 1;

  private TestCertificates(Path dir, String name) throws GeneralSecurityException, IOException {
    this.dir = dir;
    this.name = name;
    this.caKeys = keys();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, caKeys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(builder, caKeys);
    writeCertificate(caFile(), ca);
  }

  /** A new CA whose files go to {@code dir}, named after {@code name}. */
  static TestCertificates authority(Path dir, String name) throws Exception {
    return new TestCertificates(dir, name);
  }

  Path caFile() {
    return dir.resolve(name + "-ca.pem");
  }

  /** A certificate for a server at 127.0.0.1. */
  Issued server(String cn) throws Exception {
    return issue(cn, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
  }

  /** A client certificate. */
  Issued client(String cn) throws Exception {
    return issue(cn, null);
  }

  private Issued issue(String cn, GeneralNames names) throws Exception {
    KeyPair keys = keys();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=" + name), new X500Name("CN=" + cn), keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (names != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
    }
    X509Certificate cert = sign(builder, caKeys);
    Issued issued = new Issued(dir.resolve(cn + ".pem"), dir.resolve(cn + "-key.pem"));
    writeCertificate(issued.cert(), cert);
    write(issued.key(), "PRIVATE KEY", keys.getPrivate().getEncoded());
    return issued;
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(serial++),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static void writeCertificate(Path file, X509Certificate cert)
      throws IOException, GeneralSecurityException {
    write(file, "CERTIFICATE", cert.getEncoded());
  }

  private static void write(Path file, String type, byte[] der) throws IOException {
    String pem =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
