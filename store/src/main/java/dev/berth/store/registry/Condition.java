package dev.berth.store.registry;

import java.time.Instant;

/**
 * A named fact about a component (or, with an empty component, the whole service), as Kubernetes
 * conditions: {@code CertificateReady=False} with a reason and message.
 *
 * @param component the component, or "" for the service
 * @param type what the condition is about ({@code Running}, {@code CertificateReady}, ...)
 * @param status True, False or Unknown
 * @param reason one CamelCase word for machines
 * @param message a sentence for people
 * @param lastTransition when the status last changed (not when it was last written)
 */
public record Condition(
    String component,
    String type,
    Status status,
    String reason,
    String message,
    Instant lastTransition) {

  /** Whether the condition holds. */
  public enum Status {
    /** It holds. */
    TRUE("True"),
    /** It does not hold. */
    FALSE("False"),
    /** Not known yet. */
    UNKNOWN("Unknown");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    /** Its spelling on the wire, as Kubernetes' conditions write it. */
    public String wire() {
      return wire;
    }
  }
}
