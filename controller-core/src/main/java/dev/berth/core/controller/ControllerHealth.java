package dev.berth.core.controller;

/**
 * A controller's health at one moment.
 *
 * @param controller the controller's name
 * @param running started and not stopped
 * @param workers how many worker threads it was configured with
 * @param workersAlive how many of them are alive (a worker only dies of a bug in the engine)
 * @param ready it has listed its keys and reconciled each of them at least once
 * @param queueDepth keys waiting to be reconciled
 * @param inFlight keys being reconciled right now
 * @param delayedKeys keys scheduled to come back later (requeues and retries with backoff)
 * @param heldKeys keys the gate holds back (for instance, behind a start-up stage)
 * @param parkedKeys keys whose last reconcile failed terminally, waiting for a change
 */
public record ControllerHealth(
    String controller,
    boolean running,
    int workers,
    int workersAlive,
    boolean ready,
    int queueDepth,
    int inFlight,
    int delayedKeys,
    int heldKeys,
    int parkedKeys) {

  /** Running with every worker alive. */
  public boolean healthy() {
    return running && workersAlive == workers;
  }
}
