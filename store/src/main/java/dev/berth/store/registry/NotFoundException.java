package dev.berth.store.registry;

/** The service asked for is not declared. */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message);
  }
}
