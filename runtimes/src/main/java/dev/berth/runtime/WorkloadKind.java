package dev.berth.runtime;

/** What kind of workload a runtime runs. */
public enum WorkloadKind {
  /** A container, run by podman. */
  CONTAINER,
  /** A unikernel VM, run by QEMU. */
  UNIKERNEL,
  /** A host process, run under Berth's supervisor. */
  PROCESS
}
