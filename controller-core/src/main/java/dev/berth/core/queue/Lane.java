package dev.berth.core.queue;

/**
 * Priority lanes of a {@link WorkQueue}. A waiting key in a higher lane is always handed out before
 * any key of a lower lane, so that a periodic resync of every key never delays a real change.
 * Declared from the highest priority to the lowest.
 */
public enum Lane {
  /** Something changed: an event, an explicit requeue, a retry of changed work. */
  CHANGE,
  /** Bulk re-checking of every key: the periodic resync and the initial listing at start. */
  RESYNC;

  static final Lane[] BY_PRIORITY = values();

  /** The more urgent of two lanes. */
  static Lane higher(Lane a, Lane b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }
}
