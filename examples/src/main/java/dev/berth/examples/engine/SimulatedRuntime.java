package dev.berth.examples.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * A stand-in for a container runtime: the observed half of the world. It answers like a remote API
 * would: every call takes a little time, and a few fail for a passing reason.
 */
final class SimulatedRuntime {

  private final Faults faults;
  private final long inspectNanos;
  private final long applyNanos;
  private final Map<String, Duration> warmUps;

  private final ConcurrentHashMap<String, SimulatedWorkload> workloads = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> calls = new ConcurrentHashMap<>();
  private final LongAdder failedCalls = new LongAdder();
  private volatile BiConsumer<String, Spec> applyListener = (key, spec) -> {};

  /**
   * @param warmUps how long the workload of a key takes to become ready after each start; keys not
   *     in the map are ready at once
   */
  SimulatedRuntime(Faults faults, Timing timing, Map<String, Duration> warmUps) {
    this.faults = faults;
    this.inspectNanos = timing.inspect().toNanos();
    this.applyNanos = timing.apply().toNanos();
    this.warmUps = Map.copyOf(warmUps);
  }

  // ---- the runtime's API, as the reconciler sees it ----

  Optional<SimulatedWorkload> inspect(String key) {
    call(key, inspectNanos);
    return Optional.ofNullable(workloads.get(key));
  }

  /** Replaces whatever runs for the key with a workload of this spec, which then warms up. */
  SimulatedWorkload apply(String key, Spec spec) {
    call(key, applyNanos);
    long warmUp = warmUps.getOrDefault(key, Duration.ZERO).toNanos();
    SimulatedWorkload started = new SimulatedWorkload(spec, System.nanoTime() + warmUp);
    workloads.put(key, started);
    applyListener.accept(key, spec);
    return started;
  }

  void remove(String key) {
    call(key, applyNanos);
    workloads.remove(key);
  }

  // ---- the demo's own hands on the world: instant, never failing, invisible to the engine ----

  /** What runs for the key, read without a runtime call. */
  Optional<SimulatedWorkload> peek(String key) {
    return Optional.ofNullable(workloads.get(key));
  }

  /** Puts a workload in place behind the controller's back: the state found at boot, or drift. */
  void place(String key, SimulatedWorkload workload) {
    workloads.put(key, workload);
  }

  /** Makes a workload vanish behind the controller's back, as a crash and a clean-up would. */
  void erase(String key) {
    workloads.remove(key);
  }

  /** Called after every successful {@link #apply}, on the worker that applied. */
  void onApply(BiConsumer<String, Spec> listener) {
    this.applyListener = listener;
  }

  long failedCalls() {
    return failedCalls.sum();
  }

  private void call(String key, long meanNanos) {
    int n = calls.merge(key, 1, Integer::sum);
    if (meanNanos > 0) {
      // The time a real runtime takes to answer; this is what makes workers worth having.
      LockSupport.parkNanos(faults.latencyNanos(key, n, meanNanos));
    }
    if (faults.fails(key, n)) {
      failedCalls.increment();
      throw new TransientFault("injected fault: runtime busy, call " + n + " for " + key);
    }
  }
}
