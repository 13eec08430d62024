package dev.berth.store.registry;

import java.time.Instant;

/**
 * Something that happened to a service, kept in a bounded history per service.
 *
 * @param id increasing, unique across services
 * @param service the service
 * @param component the component concerned, or null
 * @param at when
 * @param type Normal or Warning
 * @param reason one CamelCase word ({@code Created}, {@code Replaced}, {@code CertificateFailed})
 * @param message a sentence for people
 */
public record ServiceEvent(
    long id,
    String service,
    String component,
    Instant at,
    Type type,
    String reason,
    String message) {

  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }
}
