package dev.berth.spec.model;

/** What a service should be doing. */
public enum DesiredState {
  /** Every component exists and runs its current spec. */
  RUNNING("running"),
  /** Routes removed, workloads stopped but kept. */
  STOPPED("stopped");

  private final String wire;

  DesiredState(String wire) {
    this.wire = wire;
  }

  /** The spelling in files and on the wire. */
  public String wire() {
    return wire;
  }
}
