package dev.berth.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The spec of a {@link BerthService}: a service definition file's keys, under the same names (see
 * docs/service-definitions.md), so that one declaration reads the same in TOML and in YAML. The
 * service's name is the resource's {@code metadata.name}. The differences are the ones YAML asks
 * for: {@code env} is an ordered list of {@code {name, value}}, as a Pod's, and volumes and ports
 * are objects whose keys are the validator's field names ({@code volumes[0].host}).
 *
 * <p>An empty list or map, and a key at its file default ({@code runtime}, {@code restart}, {@code
 * state}), may be left out, as in a file. Every value is kept as written, enums as strings and
 * numbers as nullable integers, so that the spec module's validator, not the JSON reader, reports
 * what is wrong, with its field path. The predecessor's {@code active}, {@code path} and {@code
 * [build]} have no place here.
 *
 * @param node the node it must run on ({@code kubernetes.io/hostname}), or null for any
 * @param state {@code running} (the default) or {@code stopped}
 * @param comment free text for people
 * @param components its workloads, in declaration order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BerthServiceSpec(
    String node, String state, String comment, List<Component> components) {

  /**
   * One component, {@code [[components]]} of a file.
   *
   * @param runtime {@code container} (the default), {@code unikernel} or {@code process}
   * @param memory MiB
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Component(
      String name,
      String runtime,
      String image,
      String executable,
      List<String> cmd,
      @JsonPropertyDescription("The environment, in order, as a Pod's: {name, value}.")
          List<Variable> env,
      List<Mount> volumes,
      List<PublishedPort> ports,
      String network,
      String user,
      String restart,
      Integer memory,
      Integer vcpus,
      List<Route> routes,
      Health health,
      Map<String, String> labels,
      Update update) {

    /** A component rolled out as its shape says: {@code update} absent. */
    public Component(
        String name,
        String runtime,
        String image,
        String executable,
        List<String> cmd,
        List<Variable> env,
        List<Mount> volumes,
        List<PublishedPort> ports,
        String network,
        String user,
        String restart,
        Integer memory,
        Integer vcpus,
        List<Route> routes,
        Health health,
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
          memory,
          vcpus,
          routes,
          health,
          labels,
          null);
    }

    /** This component with another health probe. */
    public Component withHealth(Health value) {
      return new Component(
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
          memory,
          vcpus,
          routes,
          value,
          labels,
          update);
    }

    /** This component with another update policy. */
    public Component withUpdate(Update value) {
      return new Component(
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
          memory,
          vcpus,
          routes,
          health,
          labels,
          value);
    }

    /**
     * A container that runs {@code image} with {@code routes} and restarts always (a Deployment
     * always restarts its pod), every other key absent: the smallest component a cluster takes.
     */
    public static Component container(String name, String image, List<Route> routes) {
      return new Component(
          name,
          null,
          image,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          "always",
          null,
          null,
          routes.isEmpty() ? null : List.copyOf(routes),
          null,
          null,
          null);
    }
  }

  /** One environment variable. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Variable(String name, String value) {}

  /**
   * A host path mounted into the container, a file's {@code "host:container[:ro]"}.
   *
   * @param readOnly {@code :ro}; absent for read-write
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mount(String host, String container, Boolean readOnly) {}

  /**
   * A published port, a file's {@code "[ip:]host:container"}.
   *
   * @param ip the host address to bind, or null for every address
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublishedPort(String ip, Integer host, Integer container) {}

  /**
   * A route, {@code [[components.routes]]}.
   *
   * @param name {@code default} when absent, as in a file
   * @param mode {@code l4} (the default) or {@code l7}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Route(String name, Integer port, String mode, String hostname) {}

  /**
   * A health probe, {@code [components.health]}. Durations are written as in a file ({@code "10s"},
   * {@code "500ms"}); absent ones take kubelet's defaults, as in a file.
   *
   * @param type {@code tcp}, {@code grpc} or {@code http}
   * @param liveness whether failing it restarts the container (its livenessProbe)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(
      String type,
      Integer port,
      String route,
      String path,
      Boolean liveness,
      String period,
      String timeout,
      @JsonProperty("failure_threshold") Integer failureThreshold,
      @JsonProperty("initial_delay") String initialDelay) {

    /** A readiness probe at the default timing, as before liveness existed. */
    public Health(String type, Integer port, String route, String path) {
      this(type, port, route, path, null, null, null, null, null);
    }
  }

  /**
   * How a changed component is rolled out, {@code [components.update]} (the table form only).
   *
   * @param strategy {@code beside} or {@code recreate}; absent: by the component's shape, as in a
   *     file
   * @param deadline a duration, as in a file
   * @param drain a duration, as in a file
   * @param autoRevert refused on a cluster when true: a Deployment never reverts by itself
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Update(
      String strategy,
      String deadline,
      String drain,
      @JsonProperty("auto_revert") Boolean autoRevert) {}
}
