package dev.berth.examples.engine;

import dev.berth.core.controller.Controller;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes declared specs the way a user does (a new spec, then an event that names its key) and
 * measures how long until the runtime runs the new spec.
 */
final class ChangeProbe {

  private record Pending(Spec target, long changedAt) {}

  private final Declared declared;
  private final Controller<String> controller;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Duration> latencies = new ConcurrentHashMap<>();

  /**
   * Pass {@link #applied} to the runtime's {@link SimulatedRuntime#onApply}, or nothing is
   * measured.
   */
  ChangeProbe(Declared declared, Controller<String> controller) {
    this.declared = declared;
    this.controller = controller;
  }

  void change(String key, Spec spec) {
    // Pending before declared: a worker may pick the new spec up the moment it is declared.
    pending.put(key, new Pending(spec, System.nanoTime()));
    declared.put(key, spec);
    controller.enqueue(key);
  }

  /** From the change to the moment the runtime started the new spec; empty until then. */
  Optional<Duration> latency(String key) {
    return Optional.ofNullable(latencies.get(key));
  }

  void applied(String key, Spec spec) {
    Pending change = pending.get(key);
    if (change != null && change.target().equals(spec) && pending.remove(key, change)) {
      latencies.put(key, Duration.ofNanos(System.nanoTime() - change.changedAt()));
    }
  }
}
