package dev.berth.core.reconcile;

/**
 * Makes the world match what is declared for one key.
 *
 * <p>Reconciling is level-based, not edge-based: the key only says <em>what</em> to look at, never
 * what happened to it. An implementation reads the whole desired state and the whole observed state
 * for the key, and acts on the difference. Events may be missed, merged or repeated, and a periodic
 * resync reconciles every key anyway; so a reconcile must be idempotent, and doing it twice in a
 * row must leave the world as doing it once.
 *
 * <p>Outcomes:
 *
 * <ul>
 *   <li>return {@link Result#done()}: the key is converged; its backoff is reset;
 *   <li>return {@link Result#requeueAfter}: reconcile again after that delay (waiting for
 *       something, polling), without counting a failure;
 *   <li>throw any exception: a failure, retried with per-key exponential backoff;
 *   <li>throw {@link TerminalException}: a failure that retrying cannot fix; not retried until the
 *       key is added again because something changed.
 * </ul>
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface Reconciler<K> {

  /**
   * Reconciles one key: reads what is declared and what is observed for it and acts on the
   * difference.
   *
   * @param key what to look at
   * @return what to do next: {@link Result#done()} or a requeue
   * @throws Exception a failure, retried with per-key backoff; a {@link TerminalException} is not
   *     retried
   */
  Result reconcile(K key) throws Exception;
}
