package dev.berth.runner.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The runtimes a node can enable, as {@code runtimes.enabled} spells them. */
public enum RuntimeName {
  /** Host processes: always available, needs nothing installed. */
  PROCESS("process"),
  /** Containers through the podman CLI. */
  PODMAN("podman"),
  /** Unikernel VMs through QEMU. */
  QEMU("qemu");

  private final String wire;

  RuntimeName(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Every spelling, in declaration order: {@code process, podman, qemu}. */
  public static List<String> wires() {
    return Arrays.stream(values()).map(RuntimeName::wire).toList();
  }

  public static Optional<RuntimeName> parse(String text) {
    return Arrays.stream(values()).filter(n -> n.wire.equals(text)).findFirst();
  }
}
