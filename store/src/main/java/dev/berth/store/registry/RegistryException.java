package dev.berth.store.registry;

/** The registry could not do what was asked for a reason other than the input or a conflict. */
public class RegistryException extends RuntimeException {

  /** A failure described by {@code message}. */
  public RegistryException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
