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
 */
public record Plan(
    List<Action> actions,
    List<ComponentView> components,
    List<ConditionView> conditions,
    Duration requeueAfter) {

  public Plan {
    actions = List.copyOf(actions);
    components = List.copyOf(components);
    conditions = List.copyOf(conditions);
  }

  public boolean converged() {
    return actions.isEmpty();
  }
}
