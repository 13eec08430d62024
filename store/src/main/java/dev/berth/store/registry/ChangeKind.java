package dev.berth.store.registry;

/** What an apply did, or would do, to one service. */
public enum ChangeKind {
  /** The service was not declared before. */
  CREATED,
  /** The service was declared with another spec; its generation went up. */
  UPDATED,
  /** The service was declared with this very spec; nothing was written for it. */
  UNCHANGED,
  /** The service was removed because its source no longer declares it. */
  PRUNED
}
