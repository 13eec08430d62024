package dev.berth.runtime.qemu;

import dev.berth.runtime.local.LogLimits;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.spec.validation.Rules;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link QemuRuntime} runs QEMU and where it keeps its VMs.
 *
 * @param binary the QEMU program, a path or a name looked up in PATH ({@link Rules#program});
 *     default {@link #DEFAULT_BINARY}
 * @param accel the accelerator ({@code -accel}); default {@link #DEFAULT_ACCEL}. This and the other
 *     QEMU names are {@link #word words}.
 * @param machine the machine type ({@code -machine}); default {@link #DEFAULT_MACHINE}
 * @param cpu the CPU model ({@code -cpu}), or null (the default) for QEMU's own; {@code host} is
 *     what KVM wants
 * @param nicModel the network card the guest sees ({@code -nic user,model=...}); default {@link
 *     #DEFAULT_NIC_MODEL}
 * @param stateRoot the directory holding one directory per VM. It must outlive the agent (not a
 *     temporary directory): it is how a restarted agent finds its VMs again.
 * @param memoryMb a VM's memory when its spec says 0; default {@link #DEFAULT_MEMORY_MB}, at most
 *     {@link #MAX_MEMORY_MB}
 * @param vcpus a VM's virtual CPUs when its spec says 0; default {@link #DEFAULT_VCPUS}, at most
 *     {@link #MAX_VCPUS}
 * @param logMaxBytes a VM's console log is rotated once it grows past this size; default {@link
 *     #DEFAULT_LOG_MAX_BYTES}, within {@link LogLimits#maxBytes}
 * @param logKeep how many rotated console logs to keep; default {@link #DEFAULT_LOG_KEEP}, within
 *     {@link LogLimits#keep}
 * @param podman how VM images that are OCI image references are pulled and read; default {@link
 *     PodmanConfig#defaults()}. Nothing runs podman unless a spec names such an image.
 */
public record QemuConfig(
    String binary,
    String accel,
    String machine,
    String cpu,
    String nicModel,
    Path stateRoot,
    long memoryMb,
    int vcpus,
    long logMaxBytes,
    int logKeep,
    PodmanConfig podman) {

  /** The x86-64 system emulator, found in PATH as the Debian package installs it. */
  public static final String DEFAULT_BINARY = "qemu-system-x86_64";

  /**
   * TCG, QEMU's own translator: slow, but it works everywhere, including hosts whose /dev/kvm is
   * absent or (as on some nested-virtualisation hosts) present but hangs its guests. Set {@code
   * kvm} where KVM is known to work.
   */
  public static final String DEFAULT_ACCEL = "tcg";

  /**
   * q35: a modern PC whose ACPI power button a stock Linux or unikernel guest understands, so that
   * {@code system_powerdown} can stop it cleanly. (microvm boots a little faster but needs a
   * virtio-mmio NIC model and guests that know its ACPI event device.)
   */
  public static final String DEFAULT_MACHINE = "q35";

  /** virtio-net on PCI: the NIC every unikernel (Nanos, Unikraft, OSv) and Linux drive. */
  public static final String DEFAULT_NIC_MODEL = "virtio-net-pci";

  /** 256 MiB: plenty for a unikernel, small enough to pack a node. */
  public static final long DEFAULT_MEMORY_MB = 256;

  /** One virtual CPU per VM whose spec says 0. */
  public static final int DEFAULT_VCPUS = 1;

  /** 10 MiB: a console is mostly boot messages; copying it when it rotates is quick. */
  public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;

  /** Three rotated logs: at most 40 MiB per VM with the default size. */
  public static final int DEFAULT_LOG_KEEP = 3;

  /** The limit a service definition has for a VM's own memory. */
  public static final long MAX_MEMORY_MB = Rules.MAX_MEMORY_MB;

  /** The limit a service definition has for a VM's own CPUs. */
  public static final int MAX_VCPUS = Rules.MAX_VCPUS;

  /**
   * What QEMU accepts in {@code -accel}, {@code -machine} and {@code -cpu} values (names, with
   * {@code ,key=value} options), and nothing that could be read as another option.
   */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.,=+-]*");

  /**
   * Requires every part but {@code cpu}; checks names, bounds and log rotation as the parameters
   * say.
   */
  public QemuConfig {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(accel, "accel");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(nicModel, "nicModel");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(podman, "podman");
    Rules.require("binary", Rules.program(binary));
    Rules.require("accel", word(accel, DEFAULT_ACCEL));
    Rules.require("machine", word(machine, DEFAULT_MACHINE));
    Rules.require("cpu", cpu == null ? null : word(cpu, "host"));
    Rules.require("nicModel", word(nicModel, DEFAULT_NIC_MODEL));
    Rules.require("memoryMb", Rules.range(memoryMb, 1, MAX_MEMORY_MB));
    Rules.require("vcpus", Rules.range(vcpus, 1, MAX_VCPUS));
    Rules.require("logMaxBytes", LogLimits.maxBytes(logMaxBytes));
    Rules.require("logKeep", LogLimits.keep(logKeep));
  }

  /**
   * The rule of a value QEMU takes as one word: a name, with {@code ,key=value} options, and
   * nothing QEMU could read as another option.
   *
   * @param example a valid value, shown in the message
   */
  public static String word(String value, String example) {
    return WORD.matcher(value).matches()
        ? null
        : "must be a QEMU name such as "
            + Rules.quote(example)
            + " (letters, digits and _.,=+-), was "
            + Rules.quote(value);
  }

  /** The defaults, keeping VMs under {@code stateRoot}. */
  public static QemuConfig of(Path stateRoot) {
    return builder(stateRoot).build();
  }

  /** A builder with every setting at its default, keeping VMs under {@code stateRoot}. */
  public static Builder builder(Path stateRoot) {
    return new Builder(stateRoot);
  }

  /** Builds a {@link QemuConfig}; what is not set keeps its default. */
  public static final class Builder {
    private final Path stateRoot;
    private String binary = DEFAULT_BINARY;
    private String accel = DEFAULT_ACCEL;
    private String machine = DEFAULT_MACHINE;
    private String cpu;
    private String nicModel = DEFAULT_NIC_MODEL;
    private long memoryMb = DEFAULT_MEMORY_MB;
    private int vcpus = DEFAULT_VCPUS;
    private long logMaxBytes = DEFAULT_LOG_MAX_BYTES;
    private int logKeep = DEFAULT_LOG_KEEP;
    private PodmanConfig podman = PodmanConfig.defaults();

    private Builder(Path stateRoot) {
      this.stateRoot = stateRoot;
    }

    /** The QEMU program. Default {@link #DEFAULT_BINARY}. */
    public Builder binary(String value) {
      binary = value;
      return this;
    }

    /** The accelerator. Default {@link #DEFAULT_ACCEL}. */
    public Builder accel(String value) {
      accel = value;
      return this;
    }

    /** The machine type. Default {@link #DEFAULT_MACHINE}. */
    public Builder machine(String value) {
      machine = value;
      return this;
    }

    /** The CPU model. Default null: QEMU's own. */
    public Builder cpu(String value) {
      cpu = value;
      return this;
    }

    /** The network card the guest sees. Default {@link #DEFAULT_NIC_MODEL}. */
    public Builder nicModel(String value) {
      nicModel = value;
      return this;
    }

    /** A VM's memory in MiB when its spec says 0. Default {@link #DEFAULT_MEMORY_MB}. */
    public Builder memoryMb(long value) {
      memoryMb = value;
      return this;
    }

    /** A VM's virtual CPUs when its spec says 0. Default {@link #DEFAULT_VCPUS}. */
    public Builder vcpus(int value) {
      vcpus = value;
      return this;
    }

    /**
     * Rotates a VM's console log at {@code maxBytes}, keeping {@code keep} rotated logs. Default
     * {@link #DEFAULT_LOG_MAX_BYTES} and {@link #DEFAULT_LOG_KEEP}.
     */
    public Builder logRotation(long maxBytes, int keep) {
      logMaxBytes = maxBytes;
      logKeep = keep;
      return this;
    }

    /** How OCI image references are pulled and read. Default {@link PodmanConfig#defaults()}. */
    public Builder podman(PodmanConfig value) {
      podman = value;
      return this;
    }

    /** The configuration, checked. */
    public QemuConfig build() {
      return new QemuConfig(
          binary,
          accel,
          machine,
          cpu,
          nicModel,
          stateRoot,
          memoryMb,
          vcpus,
          logMaxBytes,
          logKeep,
          podman);
    }
  }
}
