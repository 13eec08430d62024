package dev.berth.runtime;

/** The state of a workload as its runtime reports it, mapped onto one vocabulary for all kinds. */
public enum WorkloadState {
  CREATED,
  RUNNING,
  EXITED,
  PAUSED,
  UNKNOWN
}
