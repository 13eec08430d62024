package dev.berth.spec.validation;

/**
 * What the node can enforce of a process component's {@code memory} and {@code vcpus}: the process
 * runtime limits a process through cgroups where the node lets the agent write them, and a limit
 * the node cannot enforce is refused at apply rather than ignored.
 *
 * @param memoryUnavailable why this node cannot limit a process's memory, or null if it can (or it
 *     is not known here)
 * @param cpuUnavailable why this node cannot limit a process's CPU time, or null if it can (or it
 *     is not known here)
 */
public record ProcessLimitSupport(String memoryUnavailable, String cpuUnavailable) {

  /**
   * Nothing known against either limit: offline validation, and nodes without a process runtime.
   * The process runtime still refuses a limit it cannot enforce.
   */
  public static final ProcessLimitSupport UNKNOWN = new ProcessLimitSupport(null, null);

  /** The violation for a limit of {@code memoryMb} MiB, or null if it is fine here. */
  String memory(long memoryMb) {
    return memoryMb == 0 || memoryUnavailable == null
        ? null
        : "this node cannot limit a process's memory: " + memoryUnavailable;
  }

  /** The violation for a limit of {@code vcpus} CPUs, or null if it is fine here. */
  String vcpus(int vcpus) {
    return vcpus == 0 || cpuUnavailable == null
        ? null
        : "this node cannot limit a process's CPU time: " + cpuUnavailable;
  }
}
