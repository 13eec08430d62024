package dev.berth.spec.status;

/**
 * Where a component is in its lifecycle, as the service planner reports it. Each phase carries the
 * word the API sends, the reason of the component's {@code Ready} condition, and whether waiting
 * will not help.
 */
public enum ComponentPhase implements ComponentState {
  /**
   * Not observed by this agent yet, or its host ports are being allocated; on a cluster, no node
   * takes its pod yet (the scheduler's message says why).
   */
  PENDING("pending", "Pending", false),
  /** Held back by a boot stage that is not up yet. */
  WAITING("waiting", "WaitingForStage", false),
  /** Its workload is being created. */
  CREATING("creating", "Creating", false),
  /** Its workload runs an older spec and is being replaced. */
  REPLACING("replacing", "Replacing", false),
  /** Its workload is being started (again). */
  STARTING("starting", "Starting", false),
  /** Its workload runs the current spec. */
  RUNNING("running", "Running", false),
  /** Declared stopped; its workload is being stopped. */
  STOPPING("stopping", "Stopped", false),
  /** Declared stopped, and it is. */
  STOPPED("stopped", "Stopped", false),
  /** It ended, and its restart policy keeps it so: only an operator brings it back. */
  EXITED("exited", "Exited", true),
  /** Its workload is paused by someone else, and its restart policy does not start it. */
  PAUSED("paused", "NotRunning", false),
  /** It keeps ending; the next restart waits out a growing backoff. */
  CRASH_LOOP_BACK_OFF("CrashLoopBackOff", "CrashLoopBackOff", true),
  /** The runtime reports no state for its workload. */
  UNKNOWN("unknown", "NotRunning", false);

  private final String wire;
  private final String readyReason;
  private final boolean failure;

  ComponentPhase(String wire, String readyReason, boolean failure) {
    this.wire = wire;
    this.readyReason = readyReason;
    this.failure = failure;
  }

  @Override
  public String wire() {
    return wire;
  }

  @Override
  public String readyReason() {
    return readyReason;
  }

  @Override
  public boolean ready() {
    return this == RUNNING;
  }

  @Override
  public boolean failure() {
    return failure;
  }
}
