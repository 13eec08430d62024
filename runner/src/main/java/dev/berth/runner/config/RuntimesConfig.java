package dev.berth.runner.config;

import java.util.List;
import java.util.Objects;

/**
 * Which runtimes run the node's workloads, and how ({@code [runtimes]}).
 *
 * @param enabled the runtimes asked for, in order, without repeats; empty for automatic detection:
 *     {@code process} always, {@code podman} and {@code qemu} when their binaries are found
 * @param process the process runtime's settings
 * @param podman the podman runtime's settings
 * @param qemu the QEMU runtime's settings
 */
public record RuntimesConfig(
    List<RuntimeName> enabled, ProcessSettings process, PodmanSettings podman, QemuSettings qemu) {

  public RuntimesConfig {
    enabled = List.copyOf(enabled);
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(podman, "podman");
    Objects.requireNonNull(qemu, "qemu");
  }

  /** True when no list was given and the node decides from what is installed. */
  public boolean automatic() {
    return enabled.isEmpty();
  }
}
