package dev.berth.reconcilers.service;

import dev.berth.core.queue.ExponentialBackoffRateLimiter;
import dev.berth.runtime.RuntimeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Components whose last action failed, and when each may be tried again: per component, the delay
 * doubles from {@code base} with every failure up to {@code max}, and it is forgotten once the
 * component needs nothing more done (principle 4: backoff per failing thing, reset on success).
 *
 * <p>The work queue backs a failing service off too, but whatever enqueues the service goes around
 * that: a runtime event, a relist, another component's exit. A failed action is often such an event
 * itself (podman reports the container a failed {@code run} created and removed), so a service
 * whose run kept failing was reconciled again at once, ran again, failed again and recorded a
 * warning every few hundred milliseconds, for ever. Kept here, a failing component waits out its
 * backoff however often its service is reconciled, and nothing is tried for it meanwhile (not the
 * start of a container its failed run left behind either), while the service's other components are
 * still tended to. kubelet keeps its image-pull and restart backoffs the same way.
 *
 * <p>A new generation of the service (the operator changed it) forgets its failures, so a fix is
 * tried at once; so does {@link #forgetAll} ({@code berth recover}).
 */
public final class FailedActions {

  /**
   * The last failure of a component's action.
   *
   * @param action what failed, as {@link Action#describe} says it
   * @param generation the service's generation it failed at
   * @param failures how many times in a row the component failed
   * @param retryAt when it may be tried again
   * @param cause the runtime's failure
   */
  public record Failure(
      String action, long generation, int failures, Instant retryAt, RuntimeFailure cause) {}

  private record Key(String service, String component) {}

  private final ExponentialBackoffRateLimiter<Key> delays;
  private final Map<Key, Failure> failures = new ConcurrentHashMap<>();

  /** Retries after {@code base}, doubling up to {@code max}. */
  public FailedActions(Duration base, Duration max) {
    this.delays = new ExponentialBackoffRateLimiter<>(base, max);
  }

  /** Records a failure of the component's action now; its next try waits longer than the last. */
  Failure failed(
      String service,
      String component,
      long generation,
      String action,
      RuntimeFailure cause,
      Instant now) {
    Key key = new Key(service, component);
    Failure before = failures.get(key);
    if (before != null && before.generation() != generation) {
      delays.forget(key);
    }
    Duration delay = delays.when(key);
    Failure failure =
        new Failure(action, generation, delays.numRequeues(key), now.plus(delay), cause);
    failures.put(key, failure);
    return failure;
  }

  /**
   * The failure whose backoff the component still waits out, or empty if it may be tried now (it
   * never failed, its backoff has passed, or the service changed since).
   */
  Optional<Failure> waiting(String service, String component, long generation, Instant now) {
    Key key = new Key(service, component);
    Failure failure = failures.get(key);
    if (failure == null) {
      return Optional.empty();
    }
    if (failure.generation() != generation) {
      clear(key);
      return Optional.empty();
    }
    return now.isBefore(failure.retryAt()) ? Optional.of(failure) : Optional.empty();
  }

  /**
   * Forgets the failures of the service's components but {@code busy}: those need nothing more
   * done, so whatever failed for them has worked since.
   */
  void settled(String service, Set<String> busy) {
    failures
        .keySet()
        .removeIf(
            key ->
                key.service().equals(service) && !busy.contains(key.component()) && forgotten(key));
  }

  /** The service converged or is gone: nothing of it waits any more. */
  void forget(String service) {
    failures.keySet().removeIf(key -> key.service().equals(service) && forgotten(key));
  }

  /** Everything may be tried at once again. */
  public void forgetAll() {
    failures.keySet().removeIf(this::forgotten);
  }

  private void clear(Key key) {
    failures.remove(key);
    delays.forget(key);
  }

  /** Forgets the key's delays; true, for {@code removeIf}. */
  private boolean forgotten(Key key) {
    delays.forget(key);
    return true;
  }
}
