package dev.berth.spec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A declared service: what an operator wants on the node. The registry adds the generation and the
 * source it was applied from (see {@code StoredService}).
 *
 * @param name a lowercase DNS label, unique on the node
 * @param node the node it is declared for, or null for any
 * @param desiredState running or stopped
 * @param comment free text for people, or null
 * @param components its workloads, in declaration order
 * @param labels the service's own labels, to select it by ({@code berth status -l tier=web}); never
 *     on its workloads, so that changing them restarts nothing
 */
public record ServiceSpec(
    String name,
    String node,
    DesiredState desiredState,
    String comment,
    List<ComponentSpec> components,
    Map<String, String> labels) {

  /** Copies components and labels; null ones become empty, a null desired state becomes running. */
  public ServiceSpec {
    desiredState = desiredState == null ? DesiredState.RUNNING : desiredState;
    components = components == null ? List.of() : List.copyOf(components);
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** A service without labels. */
  public ServiceSpec(
      String name,
      String node,
      DesiredState desiredState,
      String comment,
      List<ComponentSpec> components) {
    this(name, node, desiredState, comment, components, null);
  }

  /** A running service of {@code components}, on any node, without comment or labels. */
  public static ServiceSpec of(String name, ComponentSpec... components) {
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(components));
  }

  /** This service with {@code state} as its desired state. */
  public ServiceSpec withDesiredState(DesiredState state) {
    return new ServiceSpec(name, node, state, comment, components, labels);
  }

  /** This service with {@code newComponents} instead of its components. */
  public ServiceSpec withComponents(List<ComponentSpec> newComponents) {
    return new ServiceSpec(name, node, desiredState, comment, newComponents, labels);
  }

  /** This service with {@code newComment} instead of its comment. */
  public ServiceSpec withComment(String newComment) {
    return new ServiceSpec(name, node, desiredState, newComment, components, labels);
  }

  /** This service with {@code newLabels} instead of its labels. */
  public ServiceSpec withLabels(Map<String, String> newLabels) {
    return new ServiceSpec(name, node, desiredState, comment, components, newLabels);
  }
}
