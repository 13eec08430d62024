package dev.berth.reconcilers.cert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The certificate loop's rules, with no issuer, disk or registry behind them: from what is declared
 * and stored for a hostname, and the time, whether its certificate is ready, must be issued or
 * renewed, or is no longer used.
 */
public final class CertificatePlanner {

  /** Renew a month before expiry, as most ACME clients do: time to fix a broken renewal. */
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);

  /** Look at a valid certificate again at least daily (a deleted file, a clock jump). */
  public static final Duration MAX_RECHECK = Duration.ofHours(24);

  /** A certificate issued already inside its renewal window is looked at again this soon. */
  public static final Duration SHORT_LIVED_RECHECK = Duration.ofMinutes(1);

  private final Duration renewBefore;
  private final boolean removeUnused;

  /**
   * @param renewBefore how long before expiry a certificate is renewed
   * @param removeUnused whether a certificate no route uses any more is deleted (else kept, so a
   *     service that comes back need not wait for issuance or spend rate limit)
   */
  public CertificatePlanner(Duration renewBefore, boolean removeUnused) {
    this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
    this.removeUnused = removeUnused;
  }

  /** What to do for one hostname's certificate, from what is known of it; pure. */
  public CertificatePlan plan(CertificatePlanInput input) {
    if (input.users().isEmpty()) {
      return new CertificatePlan.Unused(removeUnused && input.recorded() != null);
    }
    boolean stillValid = input.onDisk() != null && input.onDisk().covers(input.now());
    if (stillValid && input.recorded() != null && input.recorded().notAfter() != null) {
      Instant renewAt = input.recorded().notAfter().minus(renewBefore);
      if (input.now().isBefore(renewAt)) {
        return new CertificatePlan.Ready(nextLook(input.recorded().notAfter(), input.now()));
      }
    }
    if (input.issuer().issuer() == null) {
      return new CertificatePlan.Refused(input.issuer().refusal(), stillValid);
    }
    return new CertificatePlan.Issue(input.issuer().issuer(), stillValid);
  }

  /**
   * When to look again at a certificate valid until {@code notAfter}: when its renewal window
   * opens, at most {@link #MAX_RECHECK} away, and {@link #SHORT_LIVED_RECHECK} if it is open
   * already (a certificate issued with less life than the window).
   */
  public Duration nextLook(Instant notAfter, Instant now) {
    Duration untilRenewal = Duration.between(now, notAfter.minus(renewBefore));
    if (untilRenewal.isNegative()) {
      return SHORT_LIVED_RECHECK;
    }
    return untilRenewal.compareTo(MAX_RECHECK) <= 0 ? untilRenewal : MAX_RECHECK;
  }
}
