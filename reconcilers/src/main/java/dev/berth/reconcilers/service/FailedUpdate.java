package dev.berth.reconcilers.service;

import dev.berth.spec.status.UpdateFailure;
import java.util.Objects;

/**
 * An update beside the old workload that was given up.
 *
 * @param specHash the spec hash the new workload had on the first ports (the same spec hashes
 *     differently on the spare ports): which spec not to try again
 * @param reason why it was given up
 * @param message what happened, for status and events
 */
public record FailedUpdate(String specHash, UpdateFailure reason, String message) {
  /** Requires every part. */
  public FailedUpdate {
    Objects.requireNonNull(specHash, "specHash");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
