package dev.berth.core.stage;

/**
 * Whether a key may be reconciled now.
 *
 * @param admitted true if every earlier stage lets it in
 * @param waitingFor the stage it waits for, when not admitted
 * @param reason why that stage is not ready, when not admitted
 */
public record Admission(boolean admitted, String waitingFor, String reason) {

  /** The key may be reconciled now. */
  public static final Admission GRANTED = new Admission(true, null, null);

  /** The key waits for {@code stage}, which is not ready because of {@code reason}. */
  public static Admission waitingFor(String stage, String reason) {
    return new Admission(false, stage, reason);
  }
}
