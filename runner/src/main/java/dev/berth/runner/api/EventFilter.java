package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.selector.LabelSelector;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.ServiceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which events a watch sends (WatchRequest's filters): of one service or all, of services whose
 * labels match a selector now, of a type, with one of some reasons, of one component. Every filter
 * given must hold; an absent one holds for every event.
 *
 * @param service the service's name; empty for every service
 * @param selector on the labels the event's service has now; a service no longer declared has none
 * @param type "Normal" or "Warning"; null for both
 * @param reasons empty for every reason
 * @param component empty for every component and the service's own events
 * @param specOf a service's spec now, empty when it is not declared
 */
record EventFilter(
    String service,
    LabelSelector selector,
    ServiceEvent.Type type,
    Set<String> reasons,
    String component,
    Function<String, Optional<ServiceSpec>> specOf)
    implements Predicate<ServiceEvent> {

  EventFilter {
    reasons = Set.copyOf(reasons);
  }

  /** Whether nothing but the service's name filters: the history can be read as it is stored. */
  boolean byServiceOnly() {
    return selector.selectsEverything() && type == null && reasons.isEmpty() && component.isEmpty();
  }

  @Override
  public boolean test(ServiceEvent event) {
    return (service.isEmpty() || service.equals(event.service()))
        && (type == null || type == event.type())
        && (reasons.isEmpty() || reasons.contains(event.reason()))
        && (component.isEmpty() || component.equals(event.component()))
        && (selector.selectsEverything()
            || selector.matches(
                specOf.apply(event.service()).map(ServiceSpec::labels).orElse(Map.of())));
  }

  /**
   * The request's filters, or INVALID_ARGUMENT naming each field that is malformed.
   *
   * @param specOf a declared service's spec now
   */
  static EventFilter of(
      AgentProto.WatchRequest request, Function<String, Optional<ServiceSpec>> specOf) {
    List<Violation> violations = new ArrayList<>();
    LabelSelector selector = selector(request.getLabelSelector(), violations);
    ServiceEvent.Type type = null;
    if (!request.getType().isEmpty()) {
      for (ServiceEvent.Type known : ServiceEvent.Type.values()) {
        if (known.wire().equals(request.getType())) {
          type = known;
        }
      }
      if (type == null) {
        violations.add(
            new Violation(
                "type",
                "must be \"Normal\" or \"Warning\", was " + Rules.quote(request.getType())));
      }
    }
    if (!violations.isEmpty()) {
      throw ApiErrors.invalid(violations);
    }
    return new EventFilter(
        request.getService(),
        selector,
        type,
        Set.copyOf(request.getReasonsList()),
        request.getComponent(),
        specOf);
  }

  /** A request's label selector; everything (and a violation added) when malformed. */
  static LabelSelector selector(String text, List<Violation> violations) {
    try {
      return LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      violations.add(new Violation("label_selector", e.getMessage()));
      return LabelSelector.EVERYTHING;
    }
  }
}
