package dev.berth.reconcilers.service;

import java.time.Instant;

/**
 * What Berth remembers of a component beyond what the runtime shows.
 *
 * @param stoppedByBerth true if its workload exited because Berth stopped it (the service was
 *     declared stopped), so starting it again is no restart after a crash
 * @param restarts restarts after it exited on its own, since it last ran long enough to count as
 *     healthy
 * @param nextRestartAt the earliest time for the next such restart, or null for now
 */
public record ComponentHistory(boolean stoppedByBerth, int restarts, Instant nextRestartAt) {

  public static final ComponentHistory NONE = new ComponentHistory(false, 0, null);
}
