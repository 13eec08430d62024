package dev.berth.spec.status;

/**
 * Why an update beside the old workload was given up: the reason of the component's {@link
 * ConditionTypes#PROGRESSING} condition, False, while the old workload keeps serving.
 */
public enum UpdateFailure {
  /** The new workload did not answer its health probe within the update deadline. */
  PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded"),
  /** The new workload exited and was restarted again and again. */
  NEW_WORKLOAD_CRASH_LOOPING("NewWorkloadCrashLooping"),
  /** The new workload exited, and its restart policy keeps it stopped. */
  NEW_WORKLOAD_EXITED("NewWorkloadExited");

  private final String wire;

  UpdateFailure(String wire) {
    this.wire = wire;
  }

  /** Its spelling as the condition's reason. */
  public String wire() {
    return wire;
  }
}
