package dev.berth.runner.config;

import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.runtime.qemu.QemuConfig;
import java.util.List;
import java.util.Objects;

/**
 * Which runtimes run the node's workloads, and how ({@code [runtimes]}). Each runtime's table is
 * read straight into its own settings, whose Javadoc gives the defaults and the rules.
 *
 * @param enabled the runtimes asked for, in order, without repeats; empty for automatic detection:
 *     {@code process} always, {@code podman} and {@code qemu} when their binaries are found
 * @param process {@code [runtimes.process]}; its workloads live under {@code <data_dir>/process}
 * @param podman {@code [runtimes.podman]}
 * @param qemu {@code [runtimes.qemu]}; its VMs live under {@code <data_dir>/qemu}, and it pulls VM
 *     images published as OCI images with {@code podman}
 */
public record RuntimesConfig(
    List<RuntimeName> enabled, ProcessRuntimeConfig process, PodmanConfig podman, QemuConfig qemu) {

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
