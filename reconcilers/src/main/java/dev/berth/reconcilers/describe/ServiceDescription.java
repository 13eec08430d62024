package dev.berth.reconcilers.describe;

import dev.berth.store.registry.Condition;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import java.util.List;

/**
 * A declared service with what this node knows of it.
 *
 * @param declared the declaration, its generation and source
 * @param components one per declared component, in declared order
 * @param conditions its components' and its own conditions
 * @param events its newest events, newest last
 */
public record ServiceDescription(
    StoredService declared,
    List<ComponentDescription> components,
    List<Condition> conditions,
    List<ServiceEvent> events) {

  /** Copies the components, conditions and events. */
  public ServiceDescription {
    components = List.copyOf(components);
    conditions = List.copyOf(conditions);
    events = List.copyOf(events);
  }
}
