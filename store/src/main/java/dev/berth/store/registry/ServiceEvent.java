package dev.berth.store.registry;

import java.time.Instant;

/**
 * Something that happened to a service, kept in a bounded history per service. What happens again
 * and again is one event with a count, as Kubernetes' event series: the same service, component,
 * type, reason and message recorded again bumps {@code count} and {@code lastSeen} of the event
 * already recorded, which keeps its id and its first time.
 *
 * @param id unique across services; a new event's is higher than every earlier one's
 * @param service the service
 * @param component the component concerned, or null
 * @param at when it first happened
 * @param type Normal or Warning
 * @param reason one CamelCase word ({@code Created}, {@code Replaced}, {@code CertificateFailed})
 * @param message a sentence for people
 * @param count how many times it happened, at least 1
 * @param lastSeen when it last happened; {@code at} if it happened once
 */
public record ServiceEvent(
    long id,
    String service,
    String component,
    Instant at,
    Type type,
    String reason,
    String message,
    int count,
    Instant lastSeen) {

  /** How an event is to be read: as news, or as a problem. */
  public enum Type {
    /** Something went as it should. */
    NORMAL("Normal"),
    /** Something went wrong, or may. */
    WARNING("Warning");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    /** Its spelling on the wire, as Kubernetes' event types write it. */
    public String wire() {
      return wire;
    }
  }
}
