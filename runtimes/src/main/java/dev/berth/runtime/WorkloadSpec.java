package dev.berth.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: the runtime-level form of a component, with the labels that make it Berth's.
 *
 * @param name the workload's name on the node (for people; identity is in the labels)
 * @param kind container, unikernel or process
 * @param image the image (container), or the kernel/disk image path (unikernel); null for processes
 * @param executable the program (process); null otherwise
 * @param args arguments (the command of a container, the argv of a process, the kernel command line
 *     of a unikernel)
 * @param env environment
 * @param mounts host paths mounted into a container
 * @param ports ports published on the host
 * @param network the network to join, or null for the runtime's default
 * @param user the user to run as, or null
 * @param restart what the runtime does when the workload exits
 * @param memoryMb memory limit in MiB (a VM's memory), 0 for none
 * @param vcpus virtual CPUs, 0 for the default
 * @param labels identity and extra labels
 * @param init run a small init as PID 1 that forwards signals and reaps (containers)
 * @param workingDirectory where a process starts, or null for its state directory
 * @param secrets environment variables whose values are secrets: a runtime passes them as it passes
 *     {@code env}, but never on a command line nor in a file others may read
 */
public record WorkloadSpec(
    String name,
    WorkloadKind kind,
    String image,
    String executable,
    List<String> args,
    Map<String, String> env,
    List<Mount> mounts,
    List<PortBinding> ports,
    String network,
    String user,
    RuntimeRestartPolicy restart,
    long memoryMb,
    int vcpus,
    Map<String, String> labels,
    boolean init,
    String workingDirectory,
    List<SecretVariable> secrets) {

  /**
   * Requires the name and kind; copies the collections (null ones become empty, env and labels in
   * their order); a null restart policy becomes {@link RuntimeRestartPolicy#NO}.
   */
  public WorkloadSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    args = args == null ? List.of() : List.copyOf(args);
    env = ordered(env);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    ports = ports == null ? List.of() : List.copyOf(ports);
    restart = restart == null ? RuntimeRestartPolicy.NO : restart;
    labels = ordered(labels);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** This spec with one more label (or another value for it). */
  public WorkloadSpec withLabel(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(key, value);
    return new WorkloadSpec(
        name,
        kind,
        image,
        executable,
        args,
        env,
        mounts,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        more,
        init,
        workingDirectory,
        secrets);
  }

  /**
   * This spec with the values of its secrets, by variable name; for whoever creates the workload.
   *
   * @throws IllegalArgumentException if a secret has no value in {@code values}
   */
  public WorkloadSpec withSecretValues(Map<String, String> values) {
    List<SecretVariable> resolved = new java.util.ArrayList<>();
    for (SecretVariable secret : secrets) {
      String value = values.get(secret.name());
      if (value == null) {
        throw new IllegalArgumentException("no value for secret " + secret.name());
      }
      resolved.add(secret.withValue(value));
    }
    return new WorkloadSpec(
        name,
        kind,
        image,
        executable,
        args,
        env,
        mounts,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        labels,
        init,
        workingDirectory,
        resolved);
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * A spec named {@code name} of {@code kind}, the other fields at their defaults (none, empty, 0,
   * {@link RuntimeRestartPolicy#NO}).
   */
  public static Builder builder(String name, WorkloadKind kind) {
    return new Builder(name, kind);
  }

  /** Builds a {@link WorkloadSpec}; unset fields take their defaults. */
  public static final class Builder {
    private final String name;
    private final WorkloadKind kind;
    private String image;
    private String executable;
    private List<String> args = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<Mount> mounts = List.of();
    private List<PortBinding> ports = List.of();
    private String network;
    private String user;
    private RuntimeRestartPolicy restart = RuntimeRestartPolicy.NO;
    private long memoryMb;
    private int vcpus;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean init;
    private String workingDirectory;
    private final List<SecretVariable> secrets = new java.util.ArrayList<>();

    private Builder(String name, WorkloadKind kind) {
      this.name = name;
      this.kind = kind;
    }

    /** The image (container), or the kernel or disk image path (unikernel). Default none. */
    public Builder image(String value) {
      image = value;
      return this;
    }

    /** The program (process). Default none. */
    public Builder executable(String value) {
      executable = value;
      return this;
    }

    /** Replaces the arguments. Default none. */
    public Builder args(List<String> value) {
      args = value;
      return this;
    }

    /** Replaces the arguments. Default none. */
    public Builder args(String... value) {
      return args(List.of(value));
    }

    /** Adds or replaces one environment variable, keeping the order of first addition. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Adds or replaces these environment variables. */
    public Builder env(Map<String, String> value) {
      env.putAll(value);
      return this;
    }

    /** Replaces the host paths mounted into the container. Default none. */
    public Builder mounts(List<Mount> value) {
      mounts = value;
      return this;
    }

    /** Replaces the ports published on the host. Default none. */
    public Builder ports(List<PortBinding> value) {
      ports = value;
      return this;
    }

    /** Replaces the ports published on the host. Default none. */
    public Builder ports(PortBinding... value) {
      return ports(List.of(value));
    }

    /** The network to join. Default null: the runtime's default. */
    public Builder network(String value) {
      network = value;
      return this;
    }

    /** The user to run as. Default null: the runtime's default (a container image's own user). */
    public Builder user(String value) {
      user = value;
      return this;
    }

    /** What the runtime does when the workload exits. Default {@link RuntimeRestartPolicy#NO}. */
    public Builder restart(RuntimeRestartPolicy value) {
      restart = value;
      return this;
    }

    /**
     * Memory limit in MiB (a VM's memory). Default 0: no limit, or the runtime's default memory for
     * a VM.
     */
    public Builder memoryMb(long value) {
      memoryMb = value;
      return this;
    }

    /** Virtual CPUs. Default 0: the runtime's default. */
    public Builder vcpus(int value) {
      vcpus = value;
      return this;
    }

    /** Adds or replaces one label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Adds or replaces these labels. */
    public Builder labels(Map<String, String> value) {
      labels.putAll(value);
      return this;
    }

    /**
     * Whether a small init runs as PID 1 to forward signals and reap (containers). Default false.
     */
    public Builder init(boolean value) {
      init = value;
      return this;
    }

    /** Where a process starts. Default null: its state directory. */
    public Builder workingDirectory(String value) {
      workingDirectory = value;
      return this;
    }

    /** Adds one environment variable whose value is a secret. */
    public Builder secret(SecretVariable value) {
      secrets.add(value);
      return this;
    }

    /** The spec, as set so far. */
    public WorkloadSpec build() {
      return new WorkloadSpec(
          name,
          kind,
          image,
          executable,
          args,
          env,
          mounts,
          ports,
          network,
          user,
          restart,
          memoryMb,
          vcpus,
          labels,
          init,
          workingDirectory,
          secrets);
    }
  }
}
