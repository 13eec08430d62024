package dev.berth.reconcilers.testing;

import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.SecureFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one throwaway PKI of the tests: a CA, server certificates for hostnames, wildcards and
 * loopback addresses (for nginx routes, TLS backends and the agent's listener), and client
 * certificates with any subject (for mutual TLS), written as PEM files as an operator would provide
 * them; {@link #client()} is a TLS client that trusts this CA only.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create("CN=Berth Test CA");
 * Path ca = pki.writeCaCertificate(dir.resolve("ca.pem"));
 * TestPki.PemFiles server = pki.issueServer("127.0.0.1", "localhost").writeTo(dir, "server");
 * TestPki.PemFiles client = pki.issueClient("CN=ops,O=example").writeTo(dir, "ops");
 * }</pre>
 *
 * Keys are EC P-256; private keys are written as PKCS#8 with mode 0600. Certificates are valid from
 * an hour ago for a day.
 */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final X500Name name;
  private final KeyPair key;
  private final X509Certificate certificate;

  private TestPki(X500Name name, KeyPair key, X509Certificate certificate) {
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code CN=Berth Test CA}. */
  public static TestPki create() {
    return create("CN=Berth Test CA");
  }

  /** A new self-signed CA with the subject {@code caSubject} (e.g. {@code CN=Test CA}). */
  public static TestPki create(String caSubject) {
    try {
      X500Name name = x500Name(caSubject);
      KeyPair key = newKey();
      X509v3CertificateBuilder builder = builder(name, name, key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(name, key, sign(builder, key.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a test CA", e);
    }
  }

  /** The CA's certificate. */
  public X509Certificate caCertificate() {
    return certificate;
  }

  /** Writes the CA's certificate as PEM to {@code file}, and returns {@code file}. */
  public Path writeCaCertificate(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, Pem.encodeCertificates(List.of(certificate)));
    return file;
  }

  /** A TLS client that trusts this CA only. */
  public TlsClient client() {
    return TlsClient.trusting(certificate);
  }

  /**
   * A server certificate for {@code names}: IP literals become IP address SANs, other names (a
   * wildcard such as {@code *.example.test} too) DNS SANs; the first is also the common name.
   */
  public Issued issueServer(String... names) {
    try {
      KeyPair leafKey = newKey();
      X509v3CertificateBuilder builder = builder(new X500Name("CN=" + names[0]), name, leafKey);
      List<GeneralName> alternatives = new ArrayList<>();
      for (String host : names) {
        alternatives.add(
            isIpLiteral(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host));
      }
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new Issued(sign(builder, key.getPrivate()), leafKey, certificate);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a test server certificate", e);
    }
  }

  /** A client certificate with the subject {@code subject} (e.g. {@code CN=ops,O=example}). */
  public Issued issueClient(String subject) {
    try {
      KeyPair leafKey = newKey();
      X509v3CertificateBuilder builder = builder(x500Name(subject), name, leafKey);
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      return new Issued(sign(builder, key.getPrivate()), leafKey, certificate);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a test client certificate", e);
    }
  }

  /** An issued certificate with its key and the CA that signed it. */
  public record Issued(X509Certificate certificate, KeyPair key, X509Certificate issuer) {

    /**
     * Writes {@code <name>.pem} (the certificate followed by the CA's) and {@code <name>-key.pem}
     * (the PKCS#8 private key, mode 0600) into {@code directory}.
     */
    public PemFiles writeTo(Path directory, String name) throws IOException {
      Files.createDirectories(directory);
      Path chain = directory.resolve(name + ".pem");
      Path privateKey = directory.resolve(name + "-key.pem");
      Files.writeString(chain, Pem.encodeCertificates(List.of(certificate, issuer)));
      SecureFiles.writeAtomically(
          privateKey,
          Pem.encodePrivateKey(key.getPrivate()).getBytes(StandardCharsets.US_ASCII),
          SecureFiles.PRIVATE_FILE);
      return new PemFiles(chain, privateKey);
    }

    /** The certificate's SHA-256 fingerprint, as the certificate loop records it. */
    public String fingerprint() {
      return new IssuedCertificate(List.of(certificate, issuer), key.getPrivate()).fingerprint();
    }

    /** A server context presenting this certificate and its CA (for a TLS backend). */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = "test".toCharArray();
      keys.setKeyEntry("leaf", key.getPrivate(), password, new Certificate[] {certificate, issuer});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    }
  }

  /** A certificate chain file and its private key file. */
  public record PemFiles(Path certificateChain, Path privateKey) {}

  /**
   * The name as the JDK reads RFC 2253 (last RDN first in the encoding), which is how the agent's
   * allow list reads it: BouncyCastle's own parser keeps the written order instead.
   */
  private static X500Name x500Name(String rfc2253) {
    return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
  }

  private static boolean isIpLiteral(String host) {
    if (!host.contains(":") && !host.matches("[0-9.]+")) {
      return false;
    }
    try {
      // A literal is parsed without a name lookup.
      InetAddress.getByName(host);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        key.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
