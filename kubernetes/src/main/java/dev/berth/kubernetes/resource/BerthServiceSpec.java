package dev.berth.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
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
      Map<String, String> labels) {

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
   * A health probe, {@code [components.health]}.
   *
   * @param type {@code tcp}, {@code grpc} or {@code http}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(String type, Integer port, String route, String path) {}
}
