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

    public Builder image(String value) {
      image = value;
      return this;
    }

    public Builder executable(String value) {
      executable = value;
      return this;
    }

    public Builder args(List<String> value) {
      args = value;
      return this;
    }

    public Builder args(String... value) {
      return args(List.of(value));
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> value) {
      env.putAll(value);
      return this;
    }

    public Builder mounts(List<Mount> value) {
      mounts = value;
      return this;
    }

    public Builder ports(List<PortBinding> value) {
      ports = value;
      return this;
    }

    public Builder ports(PortBinding... value) {
      return ports(List.of(value));
    }

    public Builder network(String value) {
      network = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder restart(RuntimeRestartPolicy value) {
      restart = value;
      return this;
    }

    public Builder memoryMb(long value) {
      memoryMb = value;
      return this;
    }

    public Builder vcpus(int value) {
      vcpus = value;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels.putAll(value);
      return this;
    }

    public Builder init(boolean value) {
      init = value;
      return this;
    }

    public Builder workingDirectory(String value) {
      workingDirectory = value;
      return this;
    }

    public Builder secret(SecretVariable value) {
      secrets.add(value);
      return this;
    }

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
