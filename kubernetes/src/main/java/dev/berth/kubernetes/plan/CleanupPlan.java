package dev.berth.kubernetes.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;

/**
 * What to delete of a BerthService that is being deleted, for the reconciler's {@code Cleaner}: its
 * routes first, then the rest, as a node withdraws routes before it removes workloads. Kubernetes'
 * garbage collector would delete them through their ownerReferences too, but in no order, and a
 * cluster without one (the mock server) never does.
 *
 * @param deletions the objects of its own to delete now
 * @param complete true once none is left: the finalizer may go
 * @param requeueAfter when to look again while not complete, or null
 */
public record CleanupPlan(List<HasMetadata> deletions, boolean complete, Duration requeueAfter) {

  public CleanupPlan {
    deletions = List.copyOf(deletions);
  }
}
