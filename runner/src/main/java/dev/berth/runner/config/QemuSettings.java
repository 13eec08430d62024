package dev.berth.runner.config;

import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.spec.validation.Rules;
import java.util.Objects;

/**
 * The QEMU runtime ({@code [runtimes.qemu]}); its VMs live under {@code <data_dir>/qemu}.
 *
 * @param binary the QEMU system emulator: a path, or a name looked up on the PATH
 * @param accel the accelerator ({@code -accel}): {@code tcg} everywhere, {@code kvm} where it works
 * @param machine the machine type ({@code -machine})
 * @param cpu the CPU model ({@code -cpu}), or null for QEMU's default
 * @param nicModel the network card the guest sees
 * @param memoryMb a VM's memory when its spec gives none
 * @param vcpus a VM's virtual CPUs when its spec gives none
 * @param logMaxBytes a VM's console log is rotated past this size
 * @param logKeep how many rotated console logs to keep
 */
public record QemuSettings(
    String binary,
    String accel,
    String machine,
    String cpu,
    String nicModel,
    long memoryMb,
    int vcpus,
    long logMaxBytes,
    int logKeep) {

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_BINARY}. */
  public static final String DEFAULT_BINARY = QemuConfig.DEFAULT_BINARY;

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_ACCEL} for why not KVM. */
  public static final String DEFAULT_ACCEL = QemuConfig.DEFAULT_ACCEL;

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_MACHINE}. */
  public static final String DEFAULT_MACHINE = QemuConfig.DEFAULT_MACHINE;

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_NIC_MODEL}. */
  public static final String DEFAULT_NIC_MODEL = QemuConfig.DEFAULT_NIC_MODEL;

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_MEMORY_MB}. */
  public static final long DEFAULT_MEMORY_MB = QemuConfig.DEFAULT_MEMORY_MB;

  public static final int DEFAULT_VCPUS = QemuConfig.DEFAULT_VCPUS;

  /** The runtime's own default: see {@link QemuConfig#DEFAULT_LOG_MAX_BYTES}. */
  public static final long DEFAULT_LOG_MAX_BYTES = QemuConfig.DEFAULT_LOG_MAX_BYTES;

  public static final int DEFAULT_LOG_KEEP = QemuConfig.DEFAULT_LOG_KEEP;

  /** The limits a service definition has for a VM's own memory and CPUs. */
  public static final long MAX_MEMORY_MB = Rules.MAX_MEMORY_MB;

  public static final int MAX_VCPUS = Rules.MAX_VCPUS;

  public QemuSettings {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(accel, "accel");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(nicModel, "nicModel");
  }
}
