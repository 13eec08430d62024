package dev.berth.reconcilers.cert;

import java.time.Duration;
import java.util.Objects;

/** What to do for one hostname's certificate; the {@link CertificateReconciler} carries it out. */
public sealed interface CertificatePlan {

  /**
   * The stored certificate is valid and outside its renewal window: serve it.
   *
   * @param nextLook when to look again (the renewal window opening, at most a day away)
   */
  record Ready(Duration nextLook) implements CertificatePlan {
    /** Requires when to look next. */
    public Ready {
      Objects.requireNonNull(nextLook, "nextLook");
    }
  }

  /**
   * Obtain a certificate from {@code issuer}.
   *
   * @param stillValid true for a renewal: the stored certificate still serves meanwhile, and goes
   *     on serving if the renewal fails
   */
  record Issue(CertificateIssuer issuer, boolean stillValid) implements CertificatePlan {
    /** Requires the issuer. */
    public Issue {
      Objects.requireNonNull(issuer, "issuer");
    }
  }

  /**
   * A certificate is needed and no issuer may sign the name: a failure no retry can fix.
   *
   * @param stillValid true if a stored certificate still serves
   */
  record Refused(String reason, boolean stillValid) implements CertificatePlan {
    /** Requires the reason. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * No route uses the name any more.
   *
   * @param remove true to delete the stored certificate (files and record); false to keep it, or
   *     when there is none
   */
  record Unused(boolean remove) implements CertificatePlan {}
}
