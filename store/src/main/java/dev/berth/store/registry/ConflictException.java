package dev.berth.store.registry;

/**
 * A write lost a race: it expected a generation that is no longer current, or created something
 * another writer created first. Nothing was changed; read again and retry, as with Kubernetes'
 * resourceVersion.
 */
public class ConflictException extends RuntimeException {

  public ConflictException(String message) {
    super(message);
  }
}
