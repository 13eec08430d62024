package dev.berth.spec.status;

import dev.berth.spec.model.Wire;
import java.util.Optional;

/**
 * What a component's status says of it: a step of its lifecycle ({@link ComponentPhase}) or an
 * action the runtime refused ({@link ActionFailure}). Its {@link #wire() word} is what the registry
 * stores and the API sends as {@code ComponentStatus.state}.
 */
public sealed interface ComponentState permits ComponentPhase, ActionFailure {

  /** The word the registry stores and the API sends. */
  String wire();

  /** The reason of the component's {@code Ready} condition while it is in this state. */
  String readyReason();

  /** Whether the component is ready in this state (runs the current spec). */
  default boolean ready() {
    return false;
  }

  /**
   * Whether waiting will not bring the component where it was declared: {@code berth apply --wait}
   * gives up on it rather than wait for its timeout.
   */
  boolean failure();

  /**
   * Whether an operator must act before it can recover (the API's {@code terminal}): a failure that
   * repeats by itself, such as a crash loop, is a failure but not terminal.
   */
  default boolean terminal() {
    return false;
  }

  /** The state a word names, or empty for a word this version does not know. */
  static Optional<ComponentState> ofWire(String word) {
    Optional<ComponentState> phase =
        Wire.parse(ComponentPhase.class, ComponentPhase::wire, word).map(p -> p);
    return phase.or(() -> Wire.parse(ActionFailure.class, ActionFailure::wire, word));
  }
}
