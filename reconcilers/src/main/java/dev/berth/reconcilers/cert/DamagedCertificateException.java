package dev.berth.reconcilers.cert;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A stored certificate or key exists but cannot be used: truncated, not PEM, or a key that does not
 * belong to the certificate. Distinct from "absent" so that damage is never mistaken for a
 * certificate that was simply not issued yet.
 */
public class DamagedCertificateException extends IOException {

  /** The damaged file. */
  private final Path file;

  /**
   * {@code file} cannot be used because of {@code reason}; {@code cause} is what reading it threw,
   * or null.
   */
  public DamagedCertificateException(Path file, String reason, Throwable cause) {
    super(file + " is damaged: " + reason, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
