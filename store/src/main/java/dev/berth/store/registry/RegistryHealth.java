package dev.berth.store.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether the registry can keep what is written to it. A fault, once seen, stays until the registry
 * is opened again: a supervisor (systemd's {@code Restart=always}) restarts the agent, and the new
 * one refuses to start while the cause lasts.
 *
 * @param ok whether writes are kept
 * @param fault what is wrong and what to do, or null when ok
 * @param since when the fault was first seen, or null when ok
 */
public record RegistryHealth(boolean ok, String fault, Instant since) {

  /** The registry is healthy. */
  public static final RegistryHealth OK = new RegistryHealth(true, null, null);

  /** Requires a fault and its time when not ok. */
  public RegistryHealth {
    if (!ok) {
      Objects.requireNonNull(fault, "fault");
      Objects.requireNonNull(since, "since");
    }
  }

  static RegistryHealth faulty(String fault, Instant since) {
    return new RegistryHealth(false, fault, since);
  }
}
