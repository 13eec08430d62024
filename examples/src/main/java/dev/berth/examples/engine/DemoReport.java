package dev.berth.examples.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of the demo measured. Points in the run are durations since its start.
 *
 * @param options what the run ran with
 * @param keys how many keys were declared
 * @param canConverge how many of them had a spec that can run, at the end
 * @param converged how many of those were converged at the end
 * @param total how long the whole run took
 * @param initialPass when every key that can converge first had, or null if not in time
 * @param stagesUp when each boot stage came up, by name
 * @param resyncs when the controller listed every key (its first pass, then each resync)
 * @param engine the engine's metrics
 * @param reconciler what the reconciler did
 * @param injectedFaults how many runtime calls failed on purpose
 * @param parked the keys whose spec could not run at the end, and why
 * @param parkedByController how many keys the controller itself reported parked at the end
 * @param changes the fresh changes made under load
 * @param drift the drift and its repair, or null if the run did not get that far
 * @param fix the fixed bad spec, or null if the run did not get that far
 * @param problems why the run failed; empty if it succeeded
 */
record DemoReport(
    DemoOptions options,
    int keys,
    int canConverge,
    int converged,
    Duration total,
    Duration initialPass,
    Map<String, Duration> stagesUp,
    List<Duration> resyncs,
    EngineNumbers engine,
    DemoServiceReconciler.Tally reconciler,
    long injectedFaults,
    List<Parked> parked,
    int parkedByController,
    FreshChanges changes,
    DriftRepair drift,
    Fix fix,
    List<String> problems) {

  boolean succeeded() {
    return problems.isEmpty();
  }

  /** A key the controller parked after a terminal error, and the error. */
  record Parked(String key, String problem) {}

  /**
   * Specs changed while a backlog waited in the queue.
   *
   * @param injected how many
   * @param meanQueueDepth the mean number of keys waiting in the queue when each was made
   * @param latencies from each change to the runtime running it, shortest first
   */
  record FreshChanges(int injected, int meanQueueDepth, List<Duration> latencies) {

    /** The latency below which a share {@code p} of the applied changes fall. */
    Duration percentile(double p) {
      if (latencies.isEmpty()) {
        return Duration.ZERO;
      }
      int index = (int) Math.ceil(p * latencies.size()) - 1;
      return latencies.get(Math.max(0, Math.min(index, latencies.size() - 1)));
    }
  }

  /**
   * Workloads changed behind the controller's back, and their repair.
   *
   * @param kinds how many drifted each way
   * @param at when they drifted
   * @param repairedAt when the last of them was converged again, or null if not in time
   */
  record DriftRepair(Map<Drift.Kind, Integer> kinds, Duration at, Duration repairedAt) {

    int workloads() {
      return kinds.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * A parked key given a valid spec.
   *
   * @param key the key
   * @param problem what was wrong with its old spec
   * @param latency from the new spec to the runtime running it, or null if it did not
   * @param parkedBefore the controller's count of parked keys before the fix
   * @param parkedAfter the same, right after the key was enqueued
   */
  record Fix(String key, String problem, Duration latency, int parkedBefore, int parkedAfter) {}
}
