package dev.berth.reconcilers.cert;

import java.util.List;
import java.util.Objects;

/**
 * A certificate to obtain.
 *
 * @param name what the certificate is stored under: its primary hostname
 * @param domains every name it must cover, the primary first
 */
public record CertificateRequest(String name, List<String> domains) {

  /** Requires the name and at least one domain; copies the domains. */
  public CertificateRequest {
    Objects.requireNonNull(name, "name");
    domains = List.copyOf(domains);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("a certificate covers at least one name");
    }
  }

  /** A certificate for {@code hostname} alone, stored under it. */
  public static CertificateRequest of(String hostname) {
    return new CertificateRequest(hostname, List.of(hostname));
  }
}
