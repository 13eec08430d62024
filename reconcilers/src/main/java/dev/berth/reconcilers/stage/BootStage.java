package dev.berth.reconcilers.stage;

import dev.berth.spec.model.ProbeType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One configured boot stage.
 *
 * @param name shown in progress and events
 * @param services the services it starts; a service belongs to the first stage naming it
 * @param timeout how long the stage may take once admitted; default {@link #DEFAULT_TIMEOUT}
 * @param probe how to check members whose components declare no health probe of their own, using
 *     the component's first route's host port; null to count them up once they run; default {@link
 *     #DEFAULT_PROBE}
 * @param required if true, later stages wait however long it takes; if false, they proceed after
 *     the timeout, with a warning event; default {@link #DEFAULT_REQUIRED}
 */
public record BootStage(
    String name, List<String> services, Duration timeout, ProbeType probe, boolean required) {

  /**
   * Five minutes: enough to pull a few images and start a database on a slow node, short enough
   * that a stage that never comes up is reported the same morning.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** Required: a stage exists because later services need it. */
  public static final boolean DEFAULT_REQUIRED = true;

  /**
   * TCP: a route's port that accepts connections is a better "up" than a process that merely runs,
   * and it needs nothing from the service. Components without routes count as up once they run.
   */
  public static final ProbeType DEFAULT_PROBE = ProbeType.TCP;

  /** Requires the name and the timeout; copies the services. */
  public BootStage {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
    Objects.requireNonNull(timeout, "timeout");
  }
}
