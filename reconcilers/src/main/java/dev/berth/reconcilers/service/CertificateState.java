package dev.berth.reconcilers.service;

import dev.berth.reconcilers.route.RouteBinding.CertificateFiles;
import java.time.Instant;

/**
 * What the certificate loop knows of one hostname's certificate, as the service planner needs it.
 *
 * @param phase where it is
 * @param files the files to serve, when ready
 * @param reason why it is not ready, for the condition
 * @param notAfter when it expires, when ready
 */
public record CertificateState(
    Phase phase, CertificateFiles files, String reason, Instant notAfter) {

  /** Where a certificate is. */
  public enum Phase {
    /** Nobody asked for it yet. */
    UNKNOWN,
    /** Being obtained. */
    PENDING,
    /** Valid and outside its renewal window (or being renewed while still valid). */
    READY,
    /** Could not be had; the certificate loop retries with backoff. */
    FAILED
  }

  /** Nothing known yet: the certificate was not requested. */
  public static final CertificateState UNKNOWN =
      new CertificateState(Phase.UNKNOWN, null, "not requested yet", null);

  /** Being requested or renewed, because of {@code reason}. */
  public static CertificateState pending(String reason) {
    return new CertificateState(Phase.PENDING, null, reason, null);
  }

  /** Ready to serve from {@code files} until {@code notAfter}. */
  public static CertificateState ready(CertificateFiles files, Instant notAfter) {
    return new CertificateState(Phase.READY, files, "valid until " + notAfter, notAfter);
  }

  /** Could not be had, because of {@code reason}. */
  public static CertificateState failed(String reason) {
    return new CertificateState(Phase.FAILED, null, reason, null);
  }

  /** Whether its files can be served. */
  public boolean ready() {
    return phase == Phase.READY;
  }
}
