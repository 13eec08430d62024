package dev.berth.runtime;

/** The state of a workload as its runtime reports it, mapped onto one vocabulary for all kinds. */
public enum WorkloadState {
  /** Created and never started. */
  CREATED,
  /** Running. */
  RUNNING,
  /** Stopped, exited or killed. */
  EXITED,
  /** Paused by the runtime. */
  PAUSED,
  /** Anything the runtime reports that none of the others fits. */
  UNKNOWN
}
