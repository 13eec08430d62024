package dev.berth.store.registry;

import java.time.Instant;
import java.util.List;

/**
 * What the registry knows of a certificate; the key and chain themselves live in files.
 *
 * @param name the primary hostname
 * @param domains every name it covers
 * @param issuer acme or local-ca
 * @param status valid, pending or failed
 * @param serial the serial number, hex, or null
 * @param notBefore start of validity, or null
 * @param notAfter end of validity, or null
 * @param fingerprint SHA-256 of the leaf, hex, or null
 * @param chainPath the full chain, PEM, or null
 * @param keyPath the private key, PEM, or null
 * @param lastError why the last attempt failed, or null
 * @param updatedAt when this was recorded
 */
public record CertificateRecord(
    String name,
    List<String> domains,
    String issuer,
    String status,
    String serial,
    Instant notBefore,
    Instant notAfter,
    String fingerprint,
    String chainPath,
    String keyPath,
    String lastError,
    Instant updatedAt) {

  /** Copies the domains. */
  public CertificateRecord {
    domains = List.copyOf(domains);
  }
}
