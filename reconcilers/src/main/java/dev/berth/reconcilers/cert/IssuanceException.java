package dev.berth.reconcilers.cert;

/**
 * A certificate could not be had. The message says why in terms an operator can act on (the ACME
 * server's problem document, a refused name); {@link #retryable()} says whether trying again later
 * can help.
 */
public class IssuanceException extends RuntimeException {

  private final boolean retryable;

  public IssuanceException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public IssuanceException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
