package dev.berth.core.stage;

/**
 * Decides whether a key may be reconciled now. A controller with a gate asks it before every
 * reconcile; a key that is not admitted is held (not reconciled, not counted as a reconcile) and
 * released when a later recheck admits it. {@link OrderedStages} is the usual gate.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface Gate<K> {

  /** Must answer quickly: it runs on a worker thread for every reconcile. */
  Admission admit(K key);
}
