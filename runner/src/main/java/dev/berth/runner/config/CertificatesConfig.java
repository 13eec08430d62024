package dev.berth.runner.config;

import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Certificates for L7 routes ({@code [certificates]}): names under an internal suffix from the
 * local CA, every other name from ACME. With neither issuer, L7 routes stay blocked and say why.
 *
 * @param dir where certificates are stored ({@code <dir>/<hostname>/fullchain.pem}, {@code
 *     privkey.pem})
 * @param renewBefore how long before expiry a certificate is renewed
 * @param removeUnused whether a certificate no route uses any more is deleted
 * @param internalSuffixes the suffixes of internal names, each starting with a dot
 * @param acme the ACME CA ({@code [certificates.acme]}), or null for none
 * @param localCa the local CA ({@code [certificates.local_ca]}); its directory defaults to {@code
 *     <data_dir>/local-ca}
 */
public record CertificatesConfig(
    Path dir,
    Duration renewBefore,
    boolean removeUnused,
    List<String> internalSuffixes,
    AcmeSetup acme,
    LocalCaConfig localCa) {

  /** {@code <data_dir>/certificates}. */
  public static final String DEFAULT_DIR = "certificates";

  /** {@code <data_dir>/local-ca}. */
  public static final String DEFAULT_LOCAL_CA_DIR = "local-ca";

  /** A month: see {@link CertificateReconciler#DEFAULT_RENEW_BEFORE}. */
  public static final Duration DEFAULT_RENEW_BEFORE = CertificateReconciler.DEFAULT_RENEW_BEFORE;

  /**
   * Kept: a service that comes back need not wait for issuance or spend the CA's rate limit, and a
   * few kilobytes per name cost nothing.
   */
  public static final boolean DEFAULT_REMOVE_UNUSED = false;

  /** The reserved private-use suffixes: see {@link IssuerPolicy#DEFAULT_INTERNAL_SUFFIXES}. */
  public static final List<String> DEFAULT_INTERNAL_SUFFIXES =
      IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES;

  public CertificatesConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(renewBefore, "renewBefore");
    internalSuffixes = List.copyOf(internalSuffixes);
    Objects.requireNonNull(localCa, "localCa");
  }

  /** Whether any issuer is configured, so that L7 routes can get certificates at all. */
  public boolean anyIssuer() {
    return acme != null || localCa.enabled();
  }
}
