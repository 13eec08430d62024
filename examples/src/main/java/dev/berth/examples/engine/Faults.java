package dev.berth.examples.engine;

/**
 * Decides which simulated runtime calls fail, and how long each one takes.
 *
 * <p>Each decision hashes (seed, key, n-th call for that key) instead of drawing from a shared
 * random stream. The engine never runs one key on two workers at once, so the n-th call of a key is
 * the same call in every run: a seed injects the same faults whatever order the workers go in.
 */
final class Faults {

  private final long seed;
  private final double failureRate;

  Faults(long seed, double failureRate) {
    this.seed = seed;
    this.failureRate = failureRate;
  }

  boolean fails(String key, int call) {
    return uniform(key, call, 1) < failureRate;
  }

  /** Between half and one and a half times {@code meanNanos}. */
  long latencyNanos(String key, int call, long meanNanos) {
    return (long) (meanNanos * (0.5 + uniform(key, call, 2)));
  }

  /** A number in [0, 1) that depends only on its arguments and the seed. */
  private double uniform(String key, int call, long salt) {
    long hash = mix(seed + 0x9E3779B97F4A7C15L * key.hashCode());
    hash = mix(hash + 0xC2B2AE3D27D4EB4FL * call + salt);
    return (hash >>> 11) * 0x1.0p-53;
  }

  /** The SplitMix64 finalizer: every input bit reaches every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
