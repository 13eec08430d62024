package dev.berth.reconcilers.node;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.reconcilers.observe.Ownership;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.merged.MergedRuntime;
import dev.berth.store.registry.IgnoredWorkload;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryIdentity;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The relist loop, and what the node makes of workloads that are not its own. One key, the node:
 * each reconcile lists every runtime and corrects the workload cache, which tells the services
 * whose workloads changed (every service at once when a runtime lost its state), then records the
 * workloads this registry does not own as ignored (principle 7). Its resync period is the relist
 * period; a failing list backs off like any other key.
 */
public final class NodeReconciler implements Reconciler<String> {

  /** The loop's only key. */
  public static final String KEY = "workloads";

  private static final Logger LOG = System.getLogger(NodeReconciler.class.getName());

  private final WorkloadCache cache;
  private final Registry registry;
  private final WorkloadRuntime runtime;

  /**
   * @param runtime the node's runtime, to name the one that runs an ignored workload
   */
  public NodeReconciler(WorkloadCache cache, Registry registry, WorkloadRuntime runtime) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  @Override
  public Result reconcile(String key) {
    cache.relist();
    recordIgnored();
    return Result.done();
  }

  /**
   * Hands the workloads another registry made over to this one (see {@link
   * dev.berth.store.registry.IdentityStore#adopt}): from now on the cache counts them as this
   * node's. Reconciling them is the caller's to ask for.
   *
   * @param registryId a registry's id, or {@link RegistryIdentity#UNLABELLED} for Berth's workloads
   *     that carry none
   * @throws IllegalArgumentException if {@code registryId} is neither, or is this registry's own
   */
  BerthNode.Adoption adopt(String registryId) {
    boolean changed = registry.identity().adopt(registryId);
    int workloads =
        (int)
            cache.unmanaged().stream()
                .filter(w -> registryId.equals(Ownership.maker(w.labels())))
                .count();
    cache.ownershipChanged();
    if (changed) {
      LOG.log(
          Level.WARNING,
          "registry {0} adopted: its {1} workloads are managed by this registry from now on",
          registryId,
          workloads);
    }
    return new BerthNode.Adoption(changed, workloads);
  }

  /** Workloads without Berth's labels: recorded as ignored, never touched (principle 7). */
  private void recordIgnored() {
    List<IgnoredWorkload> ignored = new ArrayList<>();
    for (Workload workload : cache.unmanaged()) {
      ignored.add(
          IgnoredWorkload.observed(
              runtimeName(workload),
              workload.id(),
              workload.name(),
              workload.kind() == null ? null : workload.kind().name().toLowerCase(),
              workload.image(),
              workload.state().name().toLowerCase(),
              Ownership.maker(workload.labels())));
    }
    if (registry.ignored().replaceAll(ignored)) {
      LOG.log(
          Level.INFO,
          "{0} workloads on the node are not this registry''s: ignored, never touched",
          ignored.size());
    }
  }

  /**
   * The name of the runtime that runs {@code workload} ({@code podman}): in a merged view, the one
   * serving its kind, not the view itself ({@code merged}).
   */
  private String runtimeName(Workload workload) {
    if (runtime instanceof MergedRuntime merged && workload.kind() != null) {
      return merged.serving(workload.kind()).map(WorkloadRuntime::name).orElse(runtime.name());
    }
    return runtime.name();
  }
}
