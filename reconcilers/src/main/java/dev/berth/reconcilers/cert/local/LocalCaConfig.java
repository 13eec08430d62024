package dev.berth.reconcilers.cert.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node's own CA for internal names, created on first use in {@code directory}; clients trust
 * its {@code ca.pem} there. Run it with {@code new LocalCaIssuer(directory, leafValidity)}.
 *
 * @param enabled whether internal names get certificates from it; default {@link #DEFAULT_ENABLED}
 * @param directory where the CA's key and certificate are kept
 * @param leafValidity how long the certificates it issues are valid; default {@link
 *     LocalCaIssuer#DEFAULT_LEAF_VALIDITY}, positive
 */
public record LocalCaConfig(boolean enabled, Path directory, Duration leafValidity) {

  /**
   * On: internal names can get a certificate from nowhere else, and the CA costs nothing until an
   * internal L7 route asks for one.
   */
  public static final boolean DEFAULT_ENABLED = true;

  /** Requires the directory and the leaf validity. */
  public LocalCaConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(leafValidity, "leafValidity");
  }
}
