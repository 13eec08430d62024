package dev.berth.reconcilers.service;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import java.time.Instant;
import java.util.Objects;

/**
 * A component as a plan sees it: what status will say about it. Built through the factories, which
 * say which of its facts there are: {@link #withoutWorkload} before one exists, {@link #replacing}
 * while an old one gives way, {@link #of} for the one that serves it.
 *
 * @param component its name
 * @param runtime container, unikernel or process
 * @param state where it stands: a phase, or the runtime failure that holds it
 * @param workloadId the workload that serves it, if any
 * @param image what it runs
 * @param specHash the hash of the current spec
 * @param exitCode the exit code, when it exited
 * @param startedAt when it last started
 * @param message a sentence for operators, or null
 */
public record ComponentView(
    String component,
    String runtime,
    ComponentState state,
    String workloadId,
    String image,
    String specHash,
    Integer exitCode,
    Instant startedAt,
    String message) {

  /** Requires the component and its state. */
  public ComponentView {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(state, "state");
  }

  /** A component with no workload (yet): pending, creating, or stopped and never created. */
  public static ComponentView withoutWorkload(
      String component,
      String runtime,
      ComponentPhase phase,
      String image,
      String specHash,
      String message) {
    return new ComponentView(component, runtime, phase, null, image, specHash, null, null, message);
  }

  /** A component whose workload {@code oldWorkload} runs an older spec and gives way. */
  public static ComponentView replacing(
      String component, String runtime, String oldWorkload, String image, String specHash) {
    return new ComponentView(
        component,
        runtime,
        ComponentPhase.REPLACING,
        oldWorkload,
        image,
        specHash,
        null,
        null,
        "the spec changed");
  }

  /**
   * A component served by {@code workload}: its id, image and start; its exit code once it exited.
   *
   * @param specHash the current spec's hash, or null for the one the workload carries
   */
  public static ComponentView of(
      String component,
      String runtime,
      ComponentState state,
      Workload workload,
      String specHash,
      String message) {
    return new ComponentView(
        component,
        runtime,
        state,
        workload.id(),
        workload.image(),
        specHash != null ? specHash : workload.specHash(),
        workload.state() == WorkloadState.EXITED ? workload.exitCode() : null,
        workload.startedAt(),
        message);
  }

  /** The same component in another state, saying why: held by a stage, stopped by a failure. */
  public ComponentView withState(ComponentState newState, String newMessage) {
    return new ComponentView(
        component, runtime, newState, workloadId, image, specHash, exitCode, startedAt, newMessage);
  }
}
