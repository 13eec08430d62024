package dev.berth.store.registry;

import java.util.List;

/**
 * What an apply did, service by service, in name order.
 *
 * @param changes one entry per service applied or pruned
 * @param dryRun true if nothing was written
 */
public record ApplyResult(List<ServiceChange> changes, boolean dryRun) {

  public ApplyResult {
    changes = List.copyOf(changes);
  }

  public ServiceChange of(String service) {
    return changes.stream()
        .filter(change -> change.service().equals(service))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no change for " + service));
  }

  public long count(ChangeKind kind) {
    return changes.stream().filter(change -> change.kind() == kind).count();
  }
}
