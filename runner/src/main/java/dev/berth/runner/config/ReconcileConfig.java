package dev.berth.runner.config;

import dev.berth.reconcilers.node.BerthNode;
import java.time.Duration;
import java.util.Objects;

/**
 * The reconcile loops ({@code [reconcile]}).
 *
 * @param workers service reconciles that may run at once
 * @param resyncPeriod how often every service is reconciled even when nothing happened
 * @param relistPeriod how often the runtimes are listed in full
 */
public record ReconcileConfig(int workers, Duration resyncPeriod, Duration relistPeriod) {

  /** See {@link BerthNode#DEFAULT_WORKERS}. */
  public static final int DEFAULT_WORKERS = BerthNode.DEFAULT_WORKERS;

  /**
   * Each worker mostly waits on a runtime command; past a few dozen they only queue up on podman's
   * storage lock.
   */
  public static final int MAX_WORKERS = 64;

  /** See {@link BerthNode#DEFAULT_RESYNC_PERIOD}: events carry changes, the resync is a net. */
  public static final Duration DEFAULT_RESYNC_PERIOD = BerthNode.DEFAULT_RESYNC_PERIOD;

  /** See {@link BerthNode#DEFAULT_RELIST_PERIOD}. */
  public static final Duration DEFAULT_RELIST_PERIOD = BerthNode.DEFAULT_RELIST_PERIOD;

  public ReconcileConfig {
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    Objects.requireNonNull(relistPeriod, "relistPeriod");
  }
}
