package dev.berth.reconcilers.service;

import java.time.Duration;
import java.util.List;

/**
 * What to do for one service, and what its status says meanwhile.
 *
 * @param actions the steps, in order; empty when the node already matches
 * @param components what status says of each declared component
 * @param conditions the conditions of the service and its components
 * @param requeueAfter when to look again although nothing changed (a crash-loop backoff ending, a
 *     wait for the proxy), or null
 * @param endings workloads seen ended on their own whose end is not reported yet: each becomes one
 *     event, whatever happens next
 */
public record Plan(
    List<Action> actions,
    List<ComponentView> components,
    List<ConditionView> conditions,
    Duration requeueAfter,
    List<Ending> endings) {

  public Plan {
    actions = List.copyOf(actions);
    components = List.copyOf(components);
    conditions = List.copyOf(conditions);
    endings = List.copyOf(endings);
  }

  public Plan(
      List<Action> actions,
      List<ComponentView> components,
      List<ConditionView> conditions,
      Duration requeueAfter) {
    this(actions, components, conditions, requeueAfter, List.of());
  }

  /**
   * A workload that ended without Berth stopping it.
   *
   * @param component its component
   * @param run which run of it ended
   * @param exitCode its exit code, or null if the runtime does not know it
   * @param message what the event says: how it ended, and what Berth does about it
   */
  public record Ending(
      String component, ComponentHistory.Run run, Integer exitCode, String message) {}

  public boolean converged() {
    return actions.isEmpty();
  }
}
