package dev.berth.examples.engine;

/** A runtime call that failed for a passing reason (a timeout, a conflict): a retry helps. */
final class TransientFault extends RuntimeException {

  TransientFault(String message) {
    // No stack trace: the fault is injected on purpose, and where it was thrown says nothing.
    super(message, null, false, false);
  }
}
