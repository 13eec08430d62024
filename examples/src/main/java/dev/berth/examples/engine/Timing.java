package dev.berth.examples.engine;

import java.time.Duration;

/**
 * How slow the simulated world is.
 *
 * @param inspect the mean time of a runtime call that reads a workload
 * @param apply the mean time of a runtime call that (re)starts a workload
 * @param warmUp the mean time a slow workload takes to pass its readiness probe after a start
 * @param readinessPoll how long the reconciler waits before it looks at a warming-up workload again
 * @param gateRecheck how long a key held back by its boot stage waits before it asks again
 * @param changeInterval the time between two fresh changes injected under load
 */
record Timing(
    Duration inspect,
    Duration apply,
    Duration warmUp,
    Duration readinessPoll,
    Duration gateRecheck,
    Duration changeInterval) {

  /** About what a local container runtime answers in. */
  static Timing realistic() {
    return new Timing(
        Duration.ofNanos(200_000),
        Duration.ofMillis(5),
        Duration.ofMillis(400),
        Duration.ofMillis(100),
        Duration.ofMillis(150),
        Duration.ofMillis(40));
  }

  /** A runtime a hundred times faster, so that a test runs the whole story in about a second. */
  static Timing quick() {
    return new Timing(
        Duration.ZERO,
        Duration.ofNanos(100_000),
        Duration.ofMillis(30),
        Duration.ofMillis(10),
        Duration.ofMillis(10),
        Duration.ofMillis(5));
  }
}
