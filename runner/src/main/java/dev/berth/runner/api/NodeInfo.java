package dev.berth.runner.api;

import dev.berth.runtime.WorkloadKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the agent says about itself in {@code NodeStatus}.
 *
 * @param version Berth's version
 * @param node the node's name
 * @param startedAt when the agent started
 * @param runtimes the runtimes enabled on this node, by name, with the kinds each runs
 */
public record NodeInfo(
    String version, String node, Instant startedAt, List<RuntimeDescription> runtimes) {

  public NodeInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(startedAt, "startedAt");
    runtimes = List.copyOf(runtimes);
  }

  /**
   * The name of the enabled runtime that runs workloads of {@code kind} ({@code container} gives
   * {@code podman}), or {@code kind} itself when none does.
   *
   * @param kind a component's kind as the wire spells it, or empty
   */
  public String runtimeOf(String kind) {
    for (RuntimeDescription runtime : runtimes) {
      for (WorkloadKind served : runtime.kinds()) {
        if (served.name().equalsIgnoreCase(kind)) {
          return runtime.name();
        }
      }
    }
    return kind;
  }

  /** One enabled runtime. */
  public record RuntimeDescription(String name, Set<WorkloadKind> kinds) {
    public RuntimeDescription {
      kinds = Set.copyOf(kinds);
    }
  }
}
