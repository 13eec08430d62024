package dev.berth.core.stage;

/** Where a stage is in an ordered start-up. */
public enum StagePhase {
  /** An earlier stage has not passed yet; this one's keys are held back. */
  PENDING,
  /** Admitted: its keys run, and it waits for its readiness check. */
  STARTING,
  /** Ready: the next stage is admitted. Passing is final. */
  PASSED,
  /** Not required and not ready by its timeout: the next stage was admitted anyway. */
  SKIPPED,
  /** Required and not ready by its timeout: later stages keep waiting; it may still pass. */
  FAILED;

  /** Whether later stages may proceed. */
  public boolean letsNextStageIn() {
    return this == PASSED || this == SKIPPED;
  }
}
