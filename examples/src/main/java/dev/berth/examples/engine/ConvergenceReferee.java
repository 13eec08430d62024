package dev.berth.examples.engine;

import java.util.Collection;

/**
 * The demo's referee: judges from outside the engine whether a key is converged, that is whether
 * the runtime runs exactly the declared spec and the workload is ready. It reads without runtime
 * calls, so it never fails and costs the engine nothing.
 */
final class ConvergenceReferee {

  private final Declared declared;
  private final SimulatedRuntime runtime;

  ConvergenceReferee(Declared declared, SimulatedRuntime runtime) {
    this.declared = declared;
    this.runtime = runtime;
  }

  /** Whether the key's spec can run at all; a key whose spec cannot is parked, not converged. */
  boolean canConverge(String key) {
    return declared.get(key).map(Spec::valid).orElse(false);
  }

  boolean converged(String key) {
    Spec spec = declared.get(key).orElse(null);
    if (spec == null || !spec.valid()) {
      return false;
    }
    SimulatedWorkload workload = runtime.peek(key).orElse(null);
    return workload != null && workload.spec().equals(spec) && workload.readyAt(System.nanoTime());
  }

  boolean allConverged(Collection<String> keys) {
    return keys.stream().allMatch(this::converged);
  }

  /** Converged keys out of all declared keys. */
  int count() {
    return (int) declared.keys().stream().filter(this::converged).count();
  }

  /** How many keys can converge: {@link #count()} once everything that can has. */
  int expected() {
    return (int) declared.keys().stream().filter(this::canConverge).count();
  }

  int keys() {
    return declared.size();
  }
}
