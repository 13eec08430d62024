package dev.berth.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The status of a {@link BerthService}, in the words of {@code berth status} on a node: a
 * component's {@code state} is a {@code ComponentState} word ({@code running}, {@code waiting},
 * {@code ImageMissing}), and its {@code reason} the reason of its Ready condition; a condition's
 * type is one of {@code ConditionTypes}.
 *
 * @param observedGeneration the generation of the spec this status describes
 * @param conditions the service's conditions: Valid, Admitted, Ready, RouteReady, CertificateReady;
 *     each with the time it last flipped
 * @param components one per declared component, in declared order
 * @param routes one per declared route, in declared order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BerthServiceStatus(
    Long observedGeneration,
    List<Condition> conditions,
    List<ComponentStatus> components,
    List<RouteStatus> routes) {

  /**
   * A condition, as Kubernetes writes them.
   *
   * @param status {@code True}, {@code False} or {@code Unknown}
   * @param reason one CamelCase word
   * @param lastTransitionTime RFC 3339; changes only when {@code status} flips
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(
      String type, String status, String reason, String message, String lastTransitionTime) {}

  /**
   * A component, as {@code berth status} shows it on a node.
   *
   * @param state the word of its state ({@code running}, {@code waiting}, ...)
   * @param ready whether it runs the current spec (and answers its probe)
   * @param reason the reason of its Ready condition
   * @param terminal whether only an operator can repair its state
   * @param specHash the hash of the component's spec, the value of the {@code berth.dev/spec-hash}
   *     label of its Deployment
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComponentStatus(
      String name,
      String runtime,
      String state,
      Boolean ready,
      String reason,
      Boolean terminal,
      String message,
      String image,
      String specHash) {}

  /**
   * A route, and why it is not served when it is not.
   *
   * @param mode {@code l4} or {@code l7}
   * @param hostname the name it is served at, or null for an l4 route that owns its port
   * @param port the listener port it was declared for
   * @param backend the Service and port it goes to ({@code web-app:8080})
   * @param served whether its Ingress or TLSRoute is written
   * @param reason why it is not served, or null when it is
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouteStatus(
      String component,
      String route,
      String mode,
      String hostname,
      Integer port,
      String backend,
      Boolean served,
      String reason) {}
}
