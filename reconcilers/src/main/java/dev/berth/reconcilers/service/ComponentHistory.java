package dev.berth.reconcilers.service;

import dev.berth.runtime.Workload;
import java.time.Instant;

/**
 * What Berth remembers of a component beyond what the runtime shows, since the agent started.
 *
 * @param stoppedByBerth true if its workload exited because Berth stopped it (the service was
 *     declared stopped), so starting it again is no restart after a crash
 * @param restarts restarts after it exited on its own, since it last ran long enough to count as
 *     healthy
 * @param nextRestartAt the earliest time for the next such restart, or null for now
 * @param workloadId the workload Berth last saw serving the component (or created for it), or null:
 *     if it is gone and Berth did not remove it, it vanished behind Berth's back
 * @param recreations how often its workload vanished and was created again
 * @param endReported the run whose end has been recorded as an event, or null
 */
public record ComponentHistory(
    boolean stoppedByBerth,
    int restarts,
    Instant nextRestartAt,
    String workloadId,
    int recreations,
    Run endReported) {

  /** Nothing remembered. */
  public static final ComponentHistory NONE = new ComponentHistory(false, 0, null);

  /** A history of crash-loop facts alone. */
  public ComponentHistory(boolean stoppedByBerth, int restarts, Instant nextRestartAt) {
    this(stoppedByBerth, restarts, nextRestartAt, null, 0, null);
  }

  /**
   * One run of a workload: it ended once a given start is over. The start time tells two runs of
   * one workload apart.
   */
  public record Run(String workloadId, Instant startedAt) {
    /** The current run of {@code workload}. */
    public static Run of(Workload workload) {
      return new Run(workload.id(), workload.startedAt());
    }
  }

  ComponentHistory withCrashLoop(boolean stoppedByBerth, int restarts, Instant nextRestartAt) {
    return new ComponentHistory(
        stoppedByBerth, restarts, nextRestartAt, workloadId, recreations, endReported);
  }

  ComponentHistory withWorkload(String id, int recreations) {
    return new ComponentHistory(
        stoppedByBerth, restarts, nextRestartAt, id, recreations, endReported);
  }

  ComponentHistory withEndReported(Run run) {
    return new ComponentHistory(
        stoppedByBerth, restarts, nextRestartAt, workloadId, recreations, run);
  }
}
