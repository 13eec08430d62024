package dev.berth.spec.model;

import java.util.List;

/**
 * A declared service: what an operator wants on the node. The registry adds the generation and the
 * source it was applied from (see {@code StoredService}).
 *
 * @param name a lowercase DNS label, unique on the node
 * @param node the node it is declared for, or null for any
 * @param desiredState running or stopped
 * @param comment free text for people, or null
 * @param components its workloads, in declaration order
 */
public record ServiceSpec(
    String name,
    String node,
    DesiredState desiredState,
    String comment,
    List<ComponentSpec> components) {

  public ServiceSpec {
    desiredState = desiredState == null ? DesiredState.RUNNING : desiredState;
    components = components == null ? List.of() : List.copyOf(components);
  }

  public static ServiceSpec of(String name, ComponentSpec... components) {
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(components));
  }

  public ServiceSpec withDesiredState(DesiredState state) {
    return new ServiceSpec(name, node, state, comment, components);
  }

  public ServiceSpec withComponents(List<ComponentSpec> newComponents) {
    return new ServiceSpec(name, node, desiredState, comment, newComponents);
  }

  public ServiceSpec withComment(String newComment) {
    return new ServiceSpec(name, node, desiredState, newComment, components);
  }
}
