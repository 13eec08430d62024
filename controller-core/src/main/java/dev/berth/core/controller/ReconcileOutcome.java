package dev.berth.core.controller;

/**
 * How one reconcile ended. Its {@link #tag()} is the {@code result} label of {@code
 * controller_runtime_reconcile_total}, spelled as controller-runtime spells it; a terminal error
 * counts there as {@code error}, as in controller-runtime, and {@code
 * controller_runtime_terminal_reconcile_errors_total} tells it apart.
 */
public enum ReconcileOutcome {
  /** Converged: nothing to do until a change or the next resync. */
  SUCCESS("success"),
  /**
   * The key was looked at while an earlier failure's backoff had not passed, and goes back to wait
   * it out with its failure count kept: a rate-limited requeue without a new error, what
   * controller-runtime counts as {@code requeue}.
   */
  REQUEUE("requeue"),
  /** Converged for now; look again after the result's delay. */
  REQUEUE_AFTER("requeue_after"),
  /** Failed; retried with the key's backoff. */
  ERROR("error"),
  /** Failed in a way a retry cannot fix; the key waits for a change. */
  TERMINAL_ERROR("error");

  private final String tag;

  ReconcileOutcome(String tag) {
    this.tag = tag;
  }

  /** The value of the {@code result} label, as controller-runtime spells it. */
  public String tag() {
    return tag;
  }

  /**
   * Whether the reconcile failed (counted in {@code controller_runtime_reconcile_errors_total}).
   */
  public boolean failed() {
    return this == ERROR || this == TERMINAL_ERROR;
  }
}
