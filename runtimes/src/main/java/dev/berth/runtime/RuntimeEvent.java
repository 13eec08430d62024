package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * Something a runtime saw happen to a workload. Reconcilers use an event only to know which key to
 * look at again; they never trust its payload over a fresh inspection.
 *
 * @param type what happened
 * @param workloadId the runtime's id of the workload
 * @param name the workload's name
 * @param labels its labels (empty if the runtime no longer knows them)
 * @param kind container, unikernel or process
 * @param exitCode for {@link Type#DIED}, the exit code when known; else null
 * @param at when the runtime saw it
 */
public record RuntimeEvent(
    Type type,
    String workloadId,
    String name,
    Map<String, String> labels,
    WorkloadKind kind,
    Integer exitCode,
    Instant at) {

  /** Copies the labels; null becomes empty. */
  public RuntimeEvent {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** What happened to the workload. */
  public enum Type {
    /** It was created, not started yet. */
    CREATED,
    /** It started running. */
    STARTED,
    /** It exited or was killed. */
    DIED,
    /** The kernel's OOM killer hit it. */
    OOM,
    /** It was removed from the runtime. */
    REMOVED
  }
}
