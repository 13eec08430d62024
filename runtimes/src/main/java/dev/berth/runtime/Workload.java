package dev.berth.runtime;

import dev.berth.spec.identity.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workload as a runtime observes it: one record for containers, VMs and processes.
 *
 * @param id the runtime's id for it
 * @param name its name on the node (never parsed for identity)
 * @param labels its labels; Berth's identity is in {@link Labels}
 * @param state created, running, exited, paused or unknown
 * @param exitCode the exit code once it exited, when the runtime knows it; else null
 * @param startedAt when it last started, or null
 * @param image what it runs (image, kernel or executable)
 * @param ports its published ports
 * @param kind container, unikernel or process
 * @param oomKilled whether its last run ended with the kernel killing it for exceeding its memory
 *     limit, where the runtime can tell (the process runtime, from its cgroup's count of OOM
 *     kills); false while it runs, and where the runtime cannot tell
 */
public record Workload(
    String id,
    String name,
    Map<String, String> labels,
    WorkloadState state,
    Integer exitCode,
    Instant startedAt,
    String image,
    List<PortBinding> ports,
    WorkloadKind kind,
    boolean oomKilled) {

  /** Copies the labels and ports; null ones become empty. */
  public Workload {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** A workload whose runtime does not tell OOM kills apart from other endings. */
  public Workload(
      String id,
      String name,
      Map<String, String> labels,
      WorkloadState state,
      Integer exitCode,
      Instant startedAt,
      String image,
      List<PortBinding> ports,
      WorkloadKind kind) {
    this(id, name, labels, state, exitCode, startedAt, image, ports, kind, false);
  }

  /** Whether Berth created it (it carries Berth's identity labels). */
  public boolean managed() {
    return Labels.managed(labels);
  }

  /** The service it belongs to, from its labels; null when it is not Berth's. */
  public String service() {
    return labels.get(Labels.SERVICE);
  }

  /** The component it runs, from its labels; null when it is not Berth's. */
  public String component() {
    return labels.get(Labels.COMPONENT);
  }

  /** The hash of the spec it was created from, from its labels; null when it is not Berth's. */
  public String specHash() {
    return labels.get(Labels.SPEC_HASH);
  }

  /** Whether the runtime reports it running. */
  public boolean running() {
    return state == WorkloadState.RUNNING;
  }
}
