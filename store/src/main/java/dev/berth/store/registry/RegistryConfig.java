package dev.berth.store.registry;

import dev.berth.store.validation.ValidationPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the registry lives and how it behaves.
 *
 * @param dataDirectory the directory holding {@code registry.mv.db}; created if missing
 * @param validation the rules applied specs must pass (default strict: no floating image tags)
 * @param eventsPerService how many events are kept per service; older ones are dropped (default
 *     {@value #DEFAULT_EVENTS_PER_SERVICE})
 * @param clock the wall clock for timestamps
 */
public record RegistryConfig(
    Path dataDirectory, ValidationPolicy validation, int eventsPerService, Clock clock) {

  /** Enough to see a crash loop's story, small enough that history never dominates the file. */
  public static final int DEFAULT_EVENTS_PER_SERVICE = 100;

  public RegistryConfig {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(clock, "clock");
    if (eventsPerService < 1) {
      throw new IllegalArgumentException("eventsPerService must be at least 1");
    }
  }

  public static RegistryConfig at(Path dataDirectory) {
    return new RegistryConfig(
        dataDirectory, ValidationPolicy.STRICT, DEFAULT_EVENTS_PER_SERVICE, Clock.systemUTC());
  }

  public RegistryConfig withValidation(ValidationPolicy policy) {
    return new RegistryConfig(dataDirectory, policy, eventsPerService, clock);
  }

  public RegistryConfig withEventsPerService(int events) {
    return new RegistryConfig(dataDirectory, validation, events, clock);
  }

  public RegistryConfig withClock(Clock newClock) {
    return new RegistryConfig(dataDirectory, validation, eventsPerService, newClock);
  }
}
