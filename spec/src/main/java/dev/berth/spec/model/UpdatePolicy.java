package dev.berth.spec.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How a component is updated when its spec changes ({@code [components.update]}).
 *
 * @param strategy beside or recreate; null for the default by the component's shape ({@link
 *     #strategyFor})
 * @param deadline how long a new workload (beside) has, from its creation, to become healthy before
 *     the update is given up and the old one kept
 * @param drain how long the old workload keeps running once the proxy no longer sends it new
 *     requests, so that those in flight finish
 * @param autoRevert whether a failed update declares the last generation that became healthy again,
 *     as a new generation
 */
public record UpdatePolicy(
    UpdateStrategy strategy, Duration deadline, Duration drain, boolean autoRevert) {

  /** As Nomad's {@code progress_deadline} is minutes, a minute is ample for one workload. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

  /** Long enough for a request in flight on loopback; a proxy's keep-alive is cut by reload. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

  /** Every setting at its default: the strategy follows the component's shape. */
  public static final UpdatePolicy DEFAULTS =
      new UpdatePolicy(null, DEFAULT_DEADLINE, DEFAULT_DRAIN, false);

  /** Puts the defaults in place of a null deadline or drain. */
  public UpdatePolicy {
    deadline = deadline == null ? DEFAULT_DEADLINE : deadline;
    drain = drain == null ? DEFAULT_DRAIN : drain;
  }

  /** The defaults with only the strategy set: what {@code update = "recreate"} says. */
  public static UpdatePolicy of(UpdateStrategy strategy) {
    return new UpdatePolicy(strategy, DEFAULT_DEADLINE, DEFAULT_DRAIN, false);
  }

  /**
   * The strategy {@code component} is updated with: the declared one, else beside for a component
   * that can run twice at once (it has a route, publishes no explicit port, and its health probe,
   * if any, is aimed at a route), else recreate.
   */
  public static UpdateStrategy strategyFor(ComponentSpec component) {
    Objects.requireNonNull(component, "component");
    UpdateStrategy declared = component.update().strategy();
    if (declared != null) {
      return declared;
    }
    boolean healthAtRoute =
        component.health() == null
            || component.health().route() != null && !component.health().route().isEmpty();
    return !component.routes().isEmpty() && component.ports().isEmpty() && healthAtRoute
        ? UpdateStrategy.BESIDE
        : UpdateStrategy.RECREATE;
  }
}
