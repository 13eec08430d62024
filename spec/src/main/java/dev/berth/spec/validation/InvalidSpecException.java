package dev.berth.spec.validation;

import java.util.List;

/**
 * Input that breaks the rules; nothing was changed. Carries every violation, not just the first.
 */
public class InvalidSpecException extends RuntimeException {

  /** Every rule broken, each with its field path. */
  private final List<Violation> violations;

  /** A spec that breaks {@code violations}, at least one; the message lists them all. */
  public InvalidSpecException(List<Violation> violations) {
    super(Violation.describe(violations));
    this.violations = List.copyOf(violations);
  }

  /** Every rule the spec breaks, each with its field path. */
  public List<Violation> violations() {
    return violations;
  }
}
