package dev.berth.kubernetes.operator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Issues the certificates of l7 routes when the operator's certificates come from its own issuer
 * (certificates source local-ca): the operator writes each into its route's {@code
 * kubernetes.io/tls} Secret. JDK types only, so that the issuer (Berth's local CA, in the runner)
 * stays outside this module.
 *
 * <p>{@link #issue} runs on a reconcile thread; a failure is reported in the route's
 * CertificateReady condition and tried again later.
 */
public interface TlsIssuer {

  /**
   * A new certificate, with a new key, for {@code dnsNames}.
   *
   * @throws RuntimeException when it cannot be had, with the reason as its message
   */
  Issued issue(List<String> dnsNames);

  /**
   * An issued certificate.
   *
   * @param certificateChainPem the leaf first, then the certificates that lead to the CA, in PEM
   * @param privateKeyPem the leaf's private key in PEM
   * @param notAfter the leaf's expiry
   */
  record Issued(String certificateChainPem, String privateKeyPem, Instant notAfter) {
    public Issued {
      Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }
}
