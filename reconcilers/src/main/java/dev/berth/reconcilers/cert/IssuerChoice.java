package dev.berth.reconcilers.cert;

import java.util.Objects;

/**
 * Which issuer may sign a hostname's certificate, or why none may: what the {@link IssuerPolicy}
 * answers for the name, as a value the {@link CertificatePlanner} can read.
 *
 * @param issuer the issuer, or null when none may issue the name
 * @param refusal why none may (an internal name with only ACME configured), or null
 */
public record IssuerChoice(CertificateIssuer issuer, String refusal) {

  /** Requires exactly one of an issuer and a refusal. */
  public IssuerChoice {
    if ((issuer == null) == (refusal == null)) {
      throw new IllegalArgumentException("an issuer choice is an issuer or a refusal, not both");
    }
  }

  /** The name's certificate comes from {@code issuer}. */
  public static IssuerChoice of(CertificateIssuer issuer) {
    return new IssuerChoice(Objects.requireNonNull(issuer, "issuer"), null);
  }

  /** No issuer may sign the name, because of {@code refusal}. */
  public static IssuerChoice refused(String refusal) {
    return new IssuerChoice(null, Objects.requireNonNull(refusal, "refusal"));
  }

  /** What {@code policy} answers for {@code hostname}. */
  public static IssuerChoice forHostname(IssuerPolicy policy, String hostname) {
    try {
      return of(policy.issuerFor(hostname));
    } catch (IssuanceException e) {
      return refused(e.getMessage());
    }
  }
}
