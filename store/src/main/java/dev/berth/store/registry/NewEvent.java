package dev.berth.store.registry;

import java.util.Objects;

/**
 * An event to record; the registry gives it its id and time ({@link ServiceEvent}).
 *
 * @param service the service
 * @param component the component concerned, or null
 * @param type Normal or Warning
 * @param reason one CamelCase word ({@code Created}, {@code Replaced}, {@code CertificateFailed})
 * @param message a sentence for people; kept to its first 2048 characters
 */
public record NewEvent(
    String service, String component, ServiceEvent.Type type, String reason, String message) {

  /** Requires everything but the component. */
  public NewEvent {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
