package dev.berth.core.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key exponential backoff: the n-th consecutive failure of a key waits {@code base * 2^(n-1)},
 * never more than {@code max}. {@link #forget} resets the key.
 */
public final class ExponentialBackoffRateLimiter<K> implements RateLimiter<K> {

  /** Short enough that a transient conflict is retried at once, as client-go does. */
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(5);

  /** About 17 minutes: a key that keeps failing is still retried several times an hour. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1000);

  private final long baseNanos;
  private final long maxNanos;
  private final ConcurrentHashMap<K, Integer> failures = new ConcurrentHashMap<>();

  /** Backoff from {@link #DEFAULT_BASE_DELAY} up to {@link #DEFAULT_MAX_DELAY}. */
  public ExponentialBackoffRateLimiter() {
    this(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
  }

  /** Backoff from {@code base} (positive), doubling up to {@code max} (not below {@code base}). */
  public ExponentialBackoffRateLimiter(Duration base, Duration max) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base delay must be positive, was " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("max delay " + max + " is below the base delay " + base);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  @Override
  public Duration when(K key) {
    int exponent = failures.merge(key, 1, Integer::sum) - 1;
    // In doubles, so that a long streak of failures saturates at max instead of overflowing.
    double backoff = baseNanos * Math.pow(2, exponent);
    return Duration.ofNanos(backoff >= maxNanos ? maxNanos : (long) backoff);
  }

  @Override
  public void forget(K key) {
    failures.remove(key);
  }

  @Override
  public int numRequeues(K key) {
    return failures.getOrDefault(key, 0);
  }
}
