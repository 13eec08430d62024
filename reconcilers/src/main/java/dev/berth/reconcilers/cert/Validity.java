package dev.berth.reconcilers.cert;

import java.time.Instant;
import java.util.Objects;

/** When a certificate is valid: from {@code notBefore} up to, not including, {@code notAfter}. */
public record Validity(Instant notBefore, Instant notAfter) {

  /** Requires both instants. */
  public Validity {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /** The validity of {@code certificate}'s leaf. */
  public static Validity of(IssuedCertificate certificate) {
    return new Validity(certificate.notBefore(), certificate.notAfter());
  }

  /** Whether the certificate is valid at {@code now}. */
  public boolean covers(Instant now) {
    return !now.isBefore(notBefore) && now.isBefore(notAfter);
  }
}
