package dev.berth.reconcilers.cert;

import java.util.List;
import java.util.Locale;

/**
 * Which issuer a hostname's certificate comes from: names under an internal suffix (which no public
 * CA would sign) from the local CA, every other name from ACME. With only one issuer configured, it
 * serves every name it can.
 *
 * @param acme the ACME issuer, or null
 * @param localCa the local CA, or null
 * @param internalSuffixes suffixes of internal names, such as {@code .internal}
 */
public record IssuerPolicy(
    CertificateIssuer acme, CertificateIssuer localCa, List<String> internalSuffixes) {

  /**
   * Suffixes reserved for private use (RFC 6761, RFC 8375, ICANN's .internal) and the common .lan.
   */
  public static final List<String> DEFAULT_INTERNAL_SUFFIXES =
      List.of(".internal", ".local", ".lan", ".test", ".localhost", ".home.arpa");

  /** Requires at least one issuer; copies the suffixes. */
  public IssuerPolicy {
    internalSuffixes = List.copyOf(internalSuffixes);
    if (acme == null && localCa == null) {
      throw new IllegalArgumentException("a certificate policy needs at least one issuer");
    }
  }

  /**
   * The issuer for {@code hostname}.
   *
   * @throws IssuanceException if none may issue it (an internal name with only ACME configured)
   */
  public CertificateIssuer issuerFor(String hostname) {
    boolean internal = internal(hostname);
    if (internal && localCa != null) {
      return localCa;
    }
    if (!internal && acme != null) {
      return acme;
    }
    if (localCa != null) {
      return localCa;
    }
    throw new IssuanceException(
        hostname
            + " is an internal name (under "
            + String.join(", ", internalSuffixes)
            + "), which a public ACME CA will not sign; configure the local CA for it",
        false);
  }

  private boolean internal(String hostname) {
    String name = hostname.toLowerCase(Locale.ROOT);
    return internalSuffixes.stream()
        .anyMatch(suffix -> name.endsWith(suffix) || ("." + name).equals(suffix));
  }
}
