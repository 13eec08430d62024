package dev.berth.store.registry;

/** What an apply did, or would do, to one service. */
public enum ChangeKind {
  CREATED,
  UPDATED,
  UNCHANGED,
  PRUNED
}
