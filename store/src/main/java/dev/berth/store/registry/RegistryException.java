package dev.berth.store.registry;

/** The registry could not do what was asked for a reason other than the input or a conflict. */
public class RegistryException extends RuntimeException {

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
