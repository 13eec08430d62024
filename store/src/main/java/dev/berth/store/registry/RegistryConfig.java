package dev.berth.store.registry;

import dev.berth.spec.validation.ValidationPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the registry lives and how it behaves.
 *
 * @param dataDirectory the directory holding {@code registry.mv.db}; created if missing. Null for
 *     an in-memory registry ({@link #inMemory()})
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
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(clock, "clock");
    if (eventsPerService < 1) {
      throw new IllegalArgumentException("eventsPerService must be at least 1");
    }
  }

  public static RegistryConfig at(Path dataDirectory) {
    return new RegistryConfig(
        Objects.requireNonNull(dataDirectory, "dataDirectory"),
        ValidationPolicy.STRICT,
        DEFAULT_EVENTS_PER_SERVICE,
        Clock.systemUTC());
  }

  /**
   * A registry held in memory only, for tests and embedders' test kits: same schema, same
   * behaviour, no file. Each {@link Registry#open} of it starts empty, and what it holds is gone at
   * {@link Registry#close()} or when the process ends; it has no file to back up.
   */
  public static RegistryConfig inMemory() {
    return new RegistryConfig(
        null, ValidationPolicy.STRICT, DEFAULT_EVENTS_PER_SERVICE, Clock.systemUTC());
  }

  /** Whether the registry lives in memory only ({@link #inMemory()}). */
  public boolean isInMemory() {
    return dataDirectory == null;
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
