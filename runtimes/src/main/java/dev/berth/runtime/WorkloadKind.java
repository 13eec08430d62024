package dev.berth.runtime;

/** What kind of workload a runtime runs. */
public enum WorkloadKind {
  CONTAINER,
  UNIKERNEL,
  PROCESS
}
