package dev.berth.core.queue;

import java.time.Duration;

/**
 * Decides how long a failed key waits before it is retried. Implementations are thread-safe.
 *
 * @param <K> the key type
 */
public interface RateLimiter<K> {

  /** Records one more failure of {@code key} and returns the delay before its next attempt. */
  Duration when(K key);

  /** Clears the failure history of {@code key}, typically after it succeeded. */
  void forget(K key);

  /** How many failures of {@code key} have been recorded since it was last forgotten. */
  int numRequeues(K key);
}
