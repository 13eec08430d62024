package dev.berth.core.queue;

import dev.berth.core.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A global token bucket over all keys: {@code burst} retries may go at once, then {@code
 * ratePerSecond}. Each call reserves a token, possibly one that only exists in the future, and
 * returns how long until it does; so a storm of failures is spread out instead of hammering the
 * runtimes. Keeps no per-key state.
 */
public final class TokenBucketRateLimiter<K> implements RateLimiter<K> {

  private final double ratePerNano;
  private final int burst;
  private final Clock clock;
  private double tokens;
  private long refilledAt;

  /**
   * A bucket that starts full with {@code burst} tokens (at least 1) and refills at {@code
   * ratePerSecond} (positive), timed by {@code clock}.
   */
  public TokenBucketRateLimiter(double ratePerSecond, int burst, Clock clock) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number, was " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokens = burst;
    this.refilledAt = clock.nanoTime();
  }

  @Override
  public synchronized Duration when(K key) {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
    refilledAt = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / ratePerNano));
  }

  @Override
  public void forget(K key) {
    // A shared bucket remembers nothing per key.
  }

  @Override
  public int numRequeues(K key) {
    return 0;
  }
}
