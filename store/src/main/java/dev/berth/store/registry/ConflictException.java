package dev.berth.store.registry;

import dev.berth.spec.validation.Violation;
import java.util.List;

/**
 * A write lost a race or collides with what another declaration owns: it expected a generation that
 * is no longer current, created something another writer created first, claims a route another
 * service holds, or would move a service from the source that declared it. Nothing was changed;
 * read again and retry (as with Kubernetes' resourceVersion), or resolve the collision.
 */
public class ConflictException extends RuntimeException {

  /** The fields in conflict; empty when the conflict is the whole request's. */
  private final List<Violation> violations;

  /** A conflict of the request as a whole, {@code message} saying what collides. */
  public ConflictException(String message) {
    super(message);
    this.violations = List.of();
  }

  /** A conflict of particular fields, each named by its path as a validation error would be. */
  public ConflictException(List<Violation> violations) {
    super(Violation.describe(violations));
    this.violations = List.copyOf(violations);
  }

  /** The fields in conflict, by path; empty when the conflict is the whole request's. */
  public List<Violation> violations() {
    return violations;
  }
}
