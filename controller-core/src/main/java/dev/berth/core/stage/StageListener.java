package dev.berth.core.stage;

/**
 * Hears every change of phase, for events and logs. Called with the stages' lock held: be quick.
 */
public interface StageListener {

  /** A listener that ignores every change. */
  StageListener NONE = (stage, from, to, reason) -> {};

  /** Stage {@code stage} went from phase {@code from} to {@code to}, because of {@code reason}. */
  void phaseChanged(String stage, StagePhase from, StagePhase to, String reason);
}
