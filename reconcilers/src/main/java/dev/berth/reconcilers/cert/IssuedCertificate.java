package dev.berth.reconcilers.cert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its full chain and private key.
 *
 * @param chain the leaf first, then the intermediates that lead to a root (the root itself may be
 *     left out, as CAs do)
 * @param privateKey the leaf's key
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {

  /** Requires the key and at least the leaf; copies the chain. */
  public IssuedCertificate {
    chain = List.copyOf(chain);
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain holds at least the leaf");
    }
  }

  /** The certificate of the names themselves, first in the chain. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** When the leaf becomes valid. */
  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  /** When the leaf expires. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** The leaf's serial number in hex. */
  public String serial() {
    return leaf().getSerialNumber().toString(16);
  }

  /** The leaf's SHA-256 fingerprint in lowercase hex. */
  public String fingerprint() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint " + leaf().getSubjectX500Principal(), e);
    }
  }
}
