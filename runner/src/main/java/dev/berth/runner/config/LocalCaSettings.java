package dev.berth.runner.config;

import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node's own CA for internal names ({@code [certificates.local_ca]}), created on first use.
 * Clients trust {@code <dir>/ca.pem}.
 *
 * @param enabled whether internal names get certificates from it
 * @param dir where the CA's key and certificate are kept
 * @param validity how long the certificates it issues are valid
 */
public record LocalCaSettings(boolean enabled, Path dir, Duration validity) {

  /**
   * On: internal names (see {@code internal_suffixes}) can get a certificate from nowhere else, and
   * the CA costs nothing until an internal L7 route asks for one.
   */
  public static final boolean DEFAULT_ENABLED = true;

  /** {@code <data_dir>/local-ca}. */
  public static final String DEFAULT_DIR = "local-ca";

  /** As public CAs do: see {@link LocalCaIssuer#DEFAULT_LEAF_VALIDITY}. */
  public static final Duration DEFAULT_VALIDITY = LocalCaIssuer.DEFAULT_LEAF_VALIDITY;

  public LocalCaSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(validity, "validity");
  }
}
