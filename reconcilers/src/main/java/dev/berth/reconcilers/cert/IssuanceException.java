package dev.berth.reconcilers.cert;

/**
 * A certificate could not be had. The message says why in terms an operator can act on (the ACME
 * server's problem document, a refused name); {@link #retryable()} says whether trying again later
 * can help.
 */
public class IssuanceException extends RuntimeException {

  /** Whether trying again later can help. */
  private final boolean retryable;

  /** Issuance failed as {@code message} says; {@code retryable} if trying again later can help. */
  public IssuanceException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /**
   * Issuance failed as {@code message} says, caused by {@code cause}; {@code retryable} if trying
   * again later can help.
   */
  public IssuanceException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether trying again later can help. */
  public boolean retryable() {
    return retryable;
  }
}
