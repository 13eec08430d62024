package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.route.RouteBinding.CertificateFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

/** A throwaway certificate authority: issues leaves for hostnames, and a client that trusts it. */
final class TestCa {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCa(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  static TestCa create() throws GeneralSecurityException {
    KeyPair key = newKey();
    X500Name name = new X500Name("CN=Berth Test CA");
    X509v3CertificateBuilder builder = builder(name, name, key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new TestCa(key, sign(builder, key));
  }

  /** A leaf for {@code hostnames} (the first is its CN), signed by this CA. */
  Leaf issue(String... hostnames) throws GeneralSecurityException {
    KeyPair leafKey = newKey();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=" + hostnames[0]), new X500Name("CN=Berth Test CA"), leafKey);
    List<GeneralName> names = new ArrayList<>();
    for (String hostname : hostnames) {
      names.add(new GeneralName(GeneralName.dNSName, hostname));
    }
    try {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Leaf(sign(builder, key), leafKey, certificate);
  }

  /** A new client context that trusts this CA only. */
  SSLContext clientContext() {
    try {
      return newClientContext();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a client context trusting the test CA", e);
    }
  }

  private SSLContext newClientContext() throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
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

  /** An issued leaf certificate with its key and issuer. */
  record Leaf(X509Certificate certificate, KeyPair key, X509Certificate issuer) {

    /** Writes {@code fullchain.pem} and {@code key.pem} into {@code directory}. */
    CertificateFiles writeTo(Path directory) throws IOException, GeneralSecurityException {
      Files.createDirectories(directory);
      Path chain = directory.resolve("fullchain.pem");
      Path privateKey = directory.resolve("key.pem");
      Files.writeString(
          chain,
          pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", issuer.getEncoded()));
      Files.writeString(privateKey, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
      return new CertificateFiles(chain, privateKey, fingerprint());
    }

    String fingerprint() throws GeneralSecurityException {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    /** A server context presenting this leaf (for a TLS backend). */
    SSLContext serverContext() throws GeneralSecurityException, IOException {
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

    private static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }
}
