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
 * @param timeout how long the stage may take once admitted
 * @param probe how to check members whose components declare no health probe of their own, using
 *     the component's first route's host port; null to count them up once they run
 * @param required if true, later stages wait however long it takes; if false, they proceed after
 *     the timeout, with a warning event
 */
public record BootStage(
    String name, List<String> services, Duration timeout, ProbeType probe, boolean required) {

  public BootStage {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
    Objects.requireNonNull(timeout, "timeout");
  }
}
