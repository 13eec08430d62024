package dev.berth.spec.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload of a service: a container, a unikernel VM or a host process.
 *
 * <p>A record accepts any values so that validation can report every problem at once; see {@code
 * SpecValidator}. Collections are copied and never null; absent numbers are 0.
 *
 * @param name unique within the service; identity is this name plus the service's, carried by
 *     labels, never parsed back out of a workload's name
 * @param runtime container, unikernel or process
 * @param image the image reference (container) or image (unikernel); null for a process
 * @param executable the program (process); null otherwise
 * @param cmd arguments
 * @param env environment, in declaration order
 * @param volumes host paths mounted into a container
 * @param ports explicitly published ports
 * @param network the runtime network to join, or null for the default
 * @param user {@code user[:group]} or {@code uid[:gid]} to run as, or null for the image's
 * @param restart what the runtime does when the workload exits
 * @param memoryMb memory limit in MiB, 0 for none (a unikernel needs one)
 * @param vcpus virtual CPUs (unikernel) or CPU limit, 0 for the default
 * @param routes ways in through the node's proxy
 * @param health how to tell it is up, or null
 * @param labels extra labels; keys under {@code berth.} are Berth's own
 * @param update how a change of this spec is rolled out; never null ({@link UpdatePolicy#DEFAULTS})
 * @param secrets environment variables read from the agent's secrets directory, in declaration
 *     order
 */
public record ComponentSpec(
    String name,
    RuntimeKind runtime,
    String image,
    String executable,
    List<String> cmd,
    Map<String, String> env,
    List<VolumeMount> volumes,
    List<PortMapping> ports,
    String network,
    String user,
    RestartPolicy restart,
    int memoryMb,
    int vcpus,
    List<RouteSpec> routes,
    HealthProbe health,
    Map<String, String> labels,
    UpdatePolicy update,
    List<SecretRef> secrets) {

  /**
   * Copies the collections, keeping the declaration order of env and labels; null collections
   * become empty, a null update becomes {@link UpdatePolicy#DEFAULTS}.
   */
  public ComponentSpec {
    cmd = cmd == null ? List.of() : Collections.unmodifiableList(List.copyOf(cmd));
    env = ordered(env);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    ports = ports == null ? List.of() : List.copyOf(ports);
    restart = restart == null ? RestartPolicy.NO : restart;
    routes = routes == null ? List.of() : List.copyOf(routes);
    labels = ordered(labels);
    update = update == null ? UpdatePolicy.DEFAULTS : update;
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** A component updated as its shape says ({@link UpdatePolicy#DEFAULTS}), without secrets. */
  public ComponentSpec(
      String name,
      RuntimeKind runtime,
      String image,
      String executable,
      List<String> cmd,
      Map<String, String> env,
      List<VolumeMount> volumes,
      List<PortMapping> ports,
      String network,
      String user,
      RestartPolicy restart,
      int memoryMb,
      int vcpus,
      List<RouteSpec> routes,
      HealthProbe health,
      Map<String, String> labels) {
    this(
        name,
        runtime,
        image,
        executable,
        cmd,
        env,
        volumes,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        routes,
        health,
        labels,
        null,
        null);
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A container component from an image, with everything else at its default. */
  public static ComponentSpec container(String name, String image) {
    return builder(name, RuntimeKind.CONTAINER).image(image).build();
  }

  /** A component built field by field; unset fields take their defaults. */
  public static Builder builder(String name, RuntimeKind runtime) {
    return new Builder().name(name).runtime(runtime);
  }

  /** A builder holding this component's fields, to change a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .name(name)
        .runtime(runtime)
        .image(image)
        .executable(executable)
        .cmd(cmd)
        .env(env)
        .volumes(volumes)
        .ports(ports)
        .network(network)
        .user(user)
        .restart(restart)
        .memoryMb(memoryMb)
        .vcpus(vcpus)
        .routes(routes)
        .health(health)
        .labels(labels)
        .update(update)
        .secrets(secrets);
  }

  /** This component with {@code newRoutes} instead of its routes. */
  public ComponentSpec withRoutes(List<RouteSpec> newRoutes) {
    return toBuilder().routes(newRoutes).build();
  }

  /** This component with {@code newImage} instead of its image. */
  public ComponentSpec withImage(String newImage) {
    return toBuilder().image(newImage).build();
  }

  /**
   * Builds a {@link ComponentSpec}. Like the record, it accepts invalid values (validation reports
   * them); its maps keep insertion order and may hold nulls, as a parser might produce.
   */
  public static final class Builder {
    private String name;
    private RuntimeKind runtime;
    private String image;
    private String executable;
    private List<String> cmd = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<VolumeMount> volumes = new ArrayList<>();
    private List<PortMapping> ports = new ArrayList<>();
    private String network;
    private String user;
    private RestartPolicy restart;
    private int memoryMb;
    private int vcpus;
    private List<RouteSpec> routes = new ArrayList<>();
    private HealthProbe health;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private UpdatePolicy update;
    private List<SecretRef> secrets = new ArrayList<>();

    private Builder() {}

    /** Unique within the service; required. */
    public Builder name(String value) {
      name = value;
      return this;
    }

    /** Container, unikernel or process; required. */
    public Builder runtime(RuntimeKind value) {
      runtime = value;
      return this;
    }

    /** The image reference (container) or image (unikernel). Default none, as a process has. */
    public Builder image(String value) {
      image = value;
      return this;
    }

    /** The program to run (process only). Default none. */
    public Builder executable(String value) {
      executable = value;
      return this;
    }

    /** Replaces the arguments. Default none. */
    public Builder cmd(List<String> value) {
      cmd = new ArrayList<>(value);
      return this;
    }

    /** Replaces the arguments. Default none. */
    public Builder cmd(String... args) {
      return cmd(Arrays.asList(args));
    }

    /** Replaces the environment. */
    public Builder env(Map<String, String> value) {
      env.clear();
      env.putAll(value);
      return this;
    }

    /** Adds or replaces one variable, keeping declaration order. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Replaces the host paths mounted into the container. Default none. */
    public Builder volumes(List<VolumeMount> value) {
      volumes = new ArrayList<>(value);
      return this;
    }

    /** Replaces the host paths mounted into the container. Default none. */
    public Builder volumes(VolumeMount... value) {
      return volumes(Arrays.asList(value));
    }

    /** Replaces the explicitly published ports. Default none. */
    public Builder ports(List<PortMapping> value) {
      ports = new ArrayList<>(value);
      return this;
    }

    /** Replaces the explicitly published ports. Default none. */
    public Builder ports(PortMapping... value) {
      return ports(Arrays.asList(value));
    }

    /** The runtime network to join. Default null: the runtime's default network. */
    public Builder network(String value) {
      network = value;
      return this;
    }

    /** {@code user[:group]} or {@code uid[:gid]} to run as. Default null: the image's user. */
    public Builder user(String value) {
      user = value;
      return this;
    }

    /** What the runtime does when the workload exits. Default null: {@link RestartPolicy#NO}. */
    public Builder restart(RestartPolicy value) {
      restart = value;
      return this;
    }

    /** Memory limit in MiB. Default 0: none (a unikernel needs one). */
    public Builder memoryMb(int value) {
      memoryMb = value;
      return this;
    }

    /** Virtual CPUs (unikernel) or CPU limit. Default 0: the runtime's default. */
    public Builder vcpus(int value) {
      vcpus = value;
      return this;
    }

    /** Replaces the routes, the ways in through the node's proxy. Default none. */
    public Builder routes(List<RouteSpec> value) {
      routes = new ArrayList<>(value);
      return this;
    }

    /** Replaces the routes, the ways in through the node's proxy. Default none. */
    public Builder routes(RouteSpec... value) {
      return routes(Arrays.asList(value));
    }

    /** Adds one route after those already set. */
    public Builder addRoute(RouteSpec route) {
      routes.add(route);
      return this;
    }

    /** How to tell it is up. Default null: no probe. */
    public Builder health(HealthProbe value) {
      health = value;
      return this;
    }

    /** Replaces the labels. */
    public Builder labels(Map<String, String> value) {
      labels.clear();
      labels.putAll(value);
      return this;
    }

    /** Adds or replaces one label; keys under {@code berth.} are Berth's own. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** How a change of this spec is rolled out. Default null: {@link UpdatePolicy#DEFAULTS}. */
    public Builder update(UpdatePolicy value) {
      update = value;
      return this;
    }

    /** Replaces the variables read from the agent's secrets directory. Default none. */
    public Builder secrets(List<SecretRef> value) {
      secrets = new ArrayList<>(value);
      return this;
    }

    /** Adds one variable read from the file {@code file} of the agent's secrets directory. */
    public Builder secret(String name, String file) {
      secrets.add(new SecretRef(name, file));
      return this;
    }

    /** The component, unvalidated: {@code SpecValidator} reports what is wrong with it. */
    public ComponentSpec build() {
      return new ComponentSpec(
          name,
          runtime,
          image,
          executable,
          cmd,
          env,
          volumes,
          ports,
          network,
          user,
          restart,
          memoryMb,
          vcpus,
          routes,
          health,
          labels,
          update,
          secrets);
    }
  }
}
