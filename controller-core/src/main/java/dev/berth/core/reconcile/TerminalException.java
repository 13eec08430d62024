package dev.berth.core.reconcile;

/**
 * A reconcile failure that retrying cannot fix (an invalid declaration, a permission that will not
 * appear by itself). The key is not retried with backoff and is skipped by periodic resyncs; it
 * runs again when it is added because something changed.
 */
public class TerminalException extends RuntimeException {

  /** A terminal failure described by {@code message}. */
  public TerminalException(String message) {
    super(message);
  }

  /** A terminal failure described by {@code message}, caused by {@code cause}. */
  public TerminalException(String message, Throwable cause) {
    super(message, cause);
  }
}
