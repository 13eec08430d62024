package dev.berth.core.controller;

/** How one reconcile ended; the {@code result} tag of {@code controller_reconcile_total}. */
public enum ReconcileOutcome {
  SUCCESS("success"),
  REQUEUE_AFTER("requeue_after"),
  ERROR("error"),
  TERMINAL_ERROR("terminal_error");

  private final String tag;

  ReconcileOutcome(String tag) {
    this.tag = tag;
  }

  /** The value of the {@code result} tag, as controller-runtime spells it. */
  public String tag() {
    return tag;
  }
}
