package dev.berth.core.reconcile;

/**
 * A reconcile failure that retrying cannot fix (an invalid declaration, a permission that will not
 * appear by itself). The key is not retried with backoff and is skipped by periodic resyncs; it
 * runs again when it is added because something changed.
 */
public class TerminalException extends RuntimeException {

  public TerminalException(String message) {
    super(message);
  }

  public TerminalException(String message, Throwable cause) {
    super(message, cause);
  }
}
