package dev.berth.store.registry;

import java.util.List;

/**
 * What an apply did, service by service, in name order.
 *
 * @param changes one entry per service applied or pruned
 * @param dryRun true if nothing was written
 */
public record ApplyResult(List<ServiceChange> changes, boolean dryRun) {

  /** Copies the changes. */
  public ApplyResult {
    changes = List.copyOf(changes);
  }

  /**
   * The change to {@code service}.
   *
   * @throws IllegalArgumentException if the apply did not touch it
   */
  public ServiceChange of(String service) {
    return changes.stream()
        .filter(change -> change.service().equals(service))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no change for " + service));
  }

  /** How many services the apply changed in this way. */
  public long count(ChangeKind kind) {
    return changes.stream().filter(change -> change.kind() == kind).count();
  }
}
