package dev.berth.spec.status;

/** The reasons of a component's {@code CertificateReady} condition. */
public enum CertificateReason {
  /** True: every L7 route has a certificate. */
  ISSUED("Issued", false),
  /** False: a certificate is being requested or renewed; its routes wait for it. */
  PENDING("Pending", false),
  /** False: the issuer refused or failed; its routes stay unpublished until an operator acts. */
  ISSUANCE_FAILED("IssuanceFailed", true);

  private final String wire;
  private final boolean failure;

  CertificateReason(String wire, boolean failure) {
    this.wire = wire;
    this.failure = failure;
  }

  /** Its spelling as the condition's reason. */
  public String wire() {
    return wire;
  }

  /** Whether waiting will not help. */
  public boolean failure() {
    return failure;
  }
}
