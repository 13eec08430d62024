package dev.berth.reconcilers.cert;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM text for certificates and private keys, as web servers read them.
 *
 * <p>Keys are written as PKCS#8 ({@code PRIVATE KEY}); reading also accepts the older OpenSSL forms
 * ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}) that operators may bring.
 */
public final class Pem {

  private Pem() {}

  /** The certificates as consecutive {@code CERTIFICATE} blocks, in the given order. */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    return encode(certificates);
  }

  /** The key as a PKCS#8 {@code PRIVATE KEY} block. */
  public static String encodePrivateKey(PrivateKey key) {
    // A PemObject, not the key: BouncyCastle's writer would turn an EC key into the older SEC1
    // form, without the public key that the JDK's PKCS#8 encoding leaves out.
    return encode(List.of(new PemObject("PRIVATE KEY", key.getEncoded())));
  }

  /**
   * The key pair as a PKCS#8 {@code PRIVATE KEY} block followed by a {@code PUBLIC KEY} block: the
   * JDK's PKCS#8 encoding of an EC key leaves the public key out, and an ACME account needs both.
   */
  public static String encodeKeyPair(KeyPair pair) {
    return encode(
        List.of(
            new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()),
            new PemObject("PUBLIC KEY", pair.getPublic().getEncoded())));
  }

  private static String encode(List<?> objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      // A StringWriter does not fail; an encoding problem is a bug, not an operating condition.
      throw new UncheckedIOException("cannot encode PEM", e);
    }
    return text.toString();
  }

  /**
   * Every {@code CERTIFICATE} block of the text, in order.
   *
   * @throws IllegalArgumentException if the text holds no certificate, a damaged block or another
   *     kind of block
   */
  public static List<X509Certificate> decodeCertificates(String pem) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : parse(pem)) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException(
            "block " + (certificates.size() + 1) + " is not a certificate but " + kind(object));
      }
      try {
        certificates.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(
            "certificate " + (certificates.size() + 1) + " is damaged: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate");
    }
    return List.copyOf(certificates);
  }

  /**
   * The one private key of the text.
   *
   * @throws IllegalArgumentException if the text holds no key, more than one block, or a damaged
   *     one
   */
  public static PrivateKey decodePrivateKey(String pem) {
    List<Object> objects = parse(pem);
    if (objects.size() != 1) {
      throw new IllegalArgumentException(
          "must hold exactly one PEM private key, holds " + objects.size() + " blocks");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    Object object = objects.get(0);
    try {
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the private key is damaged: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("holds " + kind(object) + ", not a private key");
  }

  /**
   * A key pair written by {@link #encodeKeyPair}, or an OpenSSL {@code EC PRIVATE KEY} / {@code RSA
   * PRIVATE KEY} block that holds both halves.
   *
   * @throws IllegalArgumentException if the text holds no such pair, or a damaged one
   */
  public static KeyPair decodeKeyPair(String pem) {
    List<Object> objects = parse(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (objects.size() == 2
          && objects.get(0) instanceof PrivateKeyInfo privateKey
          && objects.get(1) instanceof SubjectPublicKeyInfo publicKey) {
        return new KeyPair(converter.getPublicKey(publicKey), converter.getPrivateKey(privateKey));
      }
      if (objects.size() == 1
          && objects.get(0) instanceof PEMKeyPair pair
          && pair.getPublicKeyInfo() != null) {
        return converter.getKeyPair(pair);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the key pair is damaged: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "must hold a PRIVATE KEY and a PUBLIC KEY block, holds "
            + objects.stream().map(Pem::kind).toList());
  }

  private static List<Object> parse(String pem) {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      // PEMParser reports a broken block (bad base64, truncated DER) as an IOException.
      throw new IllegalArgumentException(
          "PEM block " + (objects.size() + 1) + " is damaged: " + e.getMessage(), e);
    }
    return objects;
  }

  private static String kind(Object object) {
    return "a " + object.getClass().getSimpleName();
  }
}
