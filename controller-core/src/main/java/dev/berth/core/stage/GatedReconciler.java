package dev.berth.core.stage;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import java.time.Duration;
import java.util.Objects;

/**
 * Reconciles a key only once its stage is admitted; until then requeues it, so no thread ever waits
 * for an earlier stage and every other key keeps being reconciled.
 *
 * @param <K> the key type
 */
public final class GatedReconciler<K> implements Reconciler<K> {

  /** Often enough that a stage follows the one before within a second of its readiness. */
  public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(1);

  private final OrderedStages<K> stages;
  private final Reconciler<K> delegate;
  private final Duration recheckInterval;

  public GatedReconciler(OrderedStages<K> stages, Reconciler<K> delegate) {
    this(stages, delegate, DEFAULT_RECHECK_INTERVAL);
  }

  public GatedReconciler(OrderedStages<K> stages, Reconciler<K> delegate, Duration recheck) {
    this.stages = Objects.requireNonNull(stages, "stages");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.recheckInterval = Objects.requireNonNull(recheck, "recheck");
  }

  @Override
  public Result reconcile(K key) throws Exception {
    if (!stages.admit(key).admitted()) {
      return Result.requeueAfter(recheckInterval);
    }
    return delegate.reconcile(key);
  }
}
