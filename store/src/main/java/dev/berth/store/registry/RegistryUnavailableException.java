package dev.berth.store.registry;

/**
 * The registry cannot keep what is written to it: its file was removed or replaced while open, the
 * disk refused a write, or H2 closed the database after a write error. Nothing asked for was
 * acknowledged. The fault stays until the registry is opened again (a restart of the agent), after
 * the cause is fixed; {@link Registry#health()} tells it meanwhile.
 */
public class RegistryUnavailableException extends RegistryException {

  /**
   * The registry cannot keep writes because of {@code message} (its fault), caused by {@code cause}
   * (or null).
   */
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
