package dev.berth.reconcilers.cert.local;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA key with its self-signed certificate, and the one thing it does: sign server certificates.
 * Knows nothing about files.
 *
 * @param certificate the CA's self-signed certificate
 * @param privateKey the CA's key
 */
record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new CA, valid from {@code notBefore} until {@code notAfter}. */
  static CertificateAuthority create(
      KeyPair key, String commonName, Instant notBefore, Instant notAfter) {
    X500Name subject = new X500Name("CN=" + commonName + ",O=Berth");
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serialNumber(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  key.getPublic())
              // pathLen 0: this CA signs server certificates only, never another CA.
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(key.getPublic()));
      return new CertificateAuthority(sign(builder, key.getPrivate()), key.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the local CA certificate", e);
    }
  }

  /**
   * A server certificate for the names (the first is also the subject's common name), valid from
   * {@code notBefore} until {@code notAfter}, for TLS servers only.
   */
  X509Certificate sign(PublicKey leafKey, List<String> names, Instant notBefore, Instant notAfter) {
    GeneralName[] alternativeNames =
        names.stream()
            .map(name -> new GeneralName(GeneralName.dNSName, name))
            .toArray(GeneralName[]::new);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serialNumber(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  new X500Name("CN=" + names.get(0)),
                  leafKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(leafKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      return sign(builder, privateKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build a certificate for " + names, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws CertificateException {
    try {
      String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    } catch (OperatorCreationException e) {
      throw new CertificateException("cannot sign with the CA key: " + e.getMessage(), e);
    }
  }

  /** 127 random bits, positive: unguessable and unique, as the CA/B baseline asks. */
  private static BigInteger serialNumber() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
