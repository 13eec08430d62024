package dev.berth.core.stage;

/**
 * Hears every change of phase, for events and logs. Called with the stages' lock held: be quick.
 */
public interface StageListener {

  StageListener NONE = (stage, from, to, reason) -> {};

  void phaseChanged(String stage, StagePhase from, StagePhase to, String reason);
}
