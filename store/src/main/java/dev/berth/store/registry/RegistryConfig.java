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
 * @param historyPerService how many declared specs are kept per service for history and rollback;
 *     older ones are dropped at the service's next declaration (default {@value
 *     #DEFAULT_HISTORY_PER_SERVICE})
 */
public record RegistryConfig(
    Path dataDirectory,
    ValidationPolicy validation,
    int eventsPerService,
    Clock clock,
    int historyPerService) {

  /** Enough to see a crash loop's story, small enough that history never dominates the file. */
  public static final int DEFAULT_EVENTS_PER_SERVICE = 100;

  /** As Kubernetes' revisionHistoryLimit: enough to go back past a few bad deploys. */
  public static final int DEFAULT_HISTORY_PER_SERVICE = 10;

  /** The most a service's history may keep: each entry holds a whole spec. */
  public static final int MAX_HISTORY_PER_SERVICE = 1000;

  /** Requires the validation policy and the clock, and bounds events and history per service. */
  public RegistryConfig {
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(clock, "clock");
    if (eventsPerService < 1) {
      throw new IllegalArgumentException("eventsPerService must be at least 1");
    }
    if (historyPerService < 1 || historyPerService > MAX_HISTORY_PER_SERVICE) {
      throw new IllegalArgumentException(
          "historyPerService must be 1.." + MAX_HISTORY_PER_SERVICE + ", was " + historyPerService);
    }
  }

  /**
   * A registry in the database files of {@code dataDirectory}, with the defaults: strict
   * validation, {@value #DEFAULT_EVENTS_PER_SERVICE} events and {@value
   * #DEFAULT_HISTORY_PER_SERVICE} history entries per service, the UTC system clock.
   */
  public static RegistryConfig at(Path dataDirectory) {
    return new RegistryConfig(
        Objects.requireNonNull(dataDirectory, "dataDirectory"),
        ValidationPolicy.STRICT,
        DEFAULT_EVENTS_PER_SERVICE,
        Clock.systemUTC(),
        DEFAULT_HISTORY_PER_SERVICE);
  }

  /**
   * A registry held in memory only, for tests and embedders' test kits: same schema, same
   * behaviour, no file. Each {@link Registry#open} of it starts empty, and what it holds is gone at
   * {@link Registry#close()} or when the process ends; it has no file to back up.
   */
  public static RegistryConfig inMemory() {
    return new RegistryConfig(
        null,
        ValidationPolicy.STRICT,
        DEFAULT_EVENTS_PER_SERVICE,
        Clock.systemUTC(),
        DEFAULT_HISTORY_PER_SERVICE);
  }

  /** Whether the registry lives in memory only ({@link #inMemory()}). */
  public boolean isInMemory() {
    return dataDirectory == null;
  }

  /** This configuration with {@code policy} as its validation policy. */
  public RegistryConfig withValidation(ValidationPolicy policy) {
    return new RegistryConfig(dataDirectory, policy, eventsPerService, clock, historyPerService);
  }

  /** This configuration keeping the last {@code events} events of each service. */
  public RegistryConfig withEventsPerService(int events) {
    return new RegistryConfig(dataDirectory, validation, events, clock, historyPerService);
  }

  /** This configuration with {@code newClock} for the registry's timestamps. */
  public RegistryConfig withClock(Clock newClock) {
    return new RegistryConfig(
        dataDirectory, validation, eventsPerService, newClock, historyPerService);
  }

  /**
   * This configuration keeping the last {@code entries} declarations of each service, 1 to {@value
   * #MAX_HISTORY_PER_SERVICE}.
   */
  public RegistryConfig withHistoryPerService(int entries) {
    return new RegistryConfig(dataDirectory, validation, eventsPerService, clock, entries);
  }
}
