package dev.berth.reconcilers.node;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.reconcilers.observe.WorkloadCache;
import java.util.Objects;

/**
 * The relist loop: one key, the node. Each reconcile lists every runtime and corrects the workload
 * cache, which tells the services whose workloads changed, including every service at once when a
 * runtime lost its state. Its resync period is the relist period; a failing list backs off like any
 * other key.
 */
public final class NodeObserver implements Reconciler<String> {

  /** The loop's only key. */
  public static final String KEY = "workloads";

  private final WorkloadCache cache;
  private final Runnable afterRelist;

  /**
   * @param afterRelist what to do with a fresh listing (record the ignored workloads)
   */
  public NodeObserver(WorkloadCache cache, Runnable afterRelist) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.afterRelist = Objects.requireNonNull(afterRelist, "afterRelist");
  }

  @Override
  public Result reconcile(String key) {
    cache.relist();
    afterRelist.run();
    return Result.done();
  }
}
