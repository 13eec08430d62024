package dev.berth.reconcilers.cert;

/**
 * Where certificates come from: an ACME CA, or Berth's own local CA for internal names.
 *
 * <p>{@link #issue} blocks until the certificate is issued or has failed; callers run it on a
 * worker, with a timeout of their own, never on an event thread.
 */
public interface CertificateIssuer {

  /** A short name, stored with each certificate: {@code acme}, {@code local-ca}. */
  String name();

  /**
   * Obtains a new certificate (with a new key) for the request's names.
   *
   * @throws IssuanceException if it cannot be had, with the reason
   */
  IssuedCertificate issue(CertificateRequest request);
}
