package dev.berth.runner.config;

import dev.berth.reconcilers.stage.BootStage;
import dev.berth.spec.model.ProbeType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One boot stage ({@code [[stages]]}): its services start only when every earlier stage is up.
 *
 * @param name shown in progress and events
 * @param services the services it starts; a service is in at most one stage
 * @param timeout how long the stage may take once admitted
 * @param probe how a member without a health probe of its own is checked (on its first route's host
 *     port), or null when running is enough
 * @param required whether later stages wait however long it takes (true), or go on after the
 *     timeout with a warning (false)
 */
public record StageConfig(
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

  public StageConfig {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
    Objects.requireNonNull(timeout, "timeout");
  }

  public BootStage toBootStage() {
    return new BootStage(name, services, timeout, probe, required);
  }
}
