package dev.berth.store.registry;

/** The service asked for is not declared. */
public class NotFoundException extends RuntimeException {

  /** The service named in {@code message} is not declared. */
  public NotFoundException(String message) {
    super(message);
  }
}
