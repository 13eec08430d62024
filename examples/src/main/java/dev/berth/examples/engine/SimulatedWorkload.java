package dev.berth.examples.engine;

/**
 * What the simulated runtime runs for one key.
 *
 * @param spec the spec it was started with
 * @param readyAtNanos when it passes its readiness probe, on the {@link System#nanoTime()} scale
 */
record SimulatedWorkload(Spec spec, long readyAtNanos) {

  /** A workload that has been up for long: found running when the demo starts. */
  static SimulatedWorkload longRunning(Spec spec) {
    return new SimulatedWorkload(spec, Long.MIN_VALUE);
  }

  boolean readyAt(long nanoTime) {
    return nanoTime >= readyAtNanos;
  }
}
