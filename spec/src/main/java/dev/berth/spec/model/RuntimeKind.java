package dev.berth.spec.model;

/** Which runtime runs a component. */
public enum RuntimeKind {
  /** A podman container, from an image. */
  CONTAINER("container"),
  /** A QEMU virtual machine booting a unikernel image. */
  UNIKERNEL("unikernel"),
  /** A plain host process, from an executable. */
  PROCESS("process");

  private final String wire;

  RuntimeKind(String wire) {
    this.wire = wire;
  }

  /** Its spelling in files and on the wire. */
  public String wire() {
    return wire;
  }
}
