package dev.berth.reconcilers.service;

import dev.berth.spec.status.Exits;
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

  /** Copies the lists. */
  public Plan {
    actions = List.copyOf(actions);
    components = List.copyOf(components);
    conditions = List.copyOf(conditions);
    endings = List.copyOf(endings);
  }

  /** A plan with no ended workloads to report. */
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
   * @param reason the event's reason: {@link Exits#reason}, or {@link Exits#OOM_KILLED}
   */
  public record Ending(
      String component, ComponentHistory.Run run, Integer exitCode, String message, String reason) {

    /** An ending told apart by its exit code alone. */
    public Ending(String component, ComponentHistory.Run run, Integer exitCode, String message) {
      this(component, run, exitCode, message, Exits.reason(exitCode));
    }

    /** Whether it ended as it meant to: exit code 0, and not killed for its memory. */
    public boolean clean() {
      return Integer.valueOf(0).equals(exitCode) && !Exits.OOM_KILLED.equals(reason);
    }
  }

  /** Whether there is nothing to do: the node matches the declaration. */
  public boolean converged() {
    return actions.isEmpty();
  }
}
