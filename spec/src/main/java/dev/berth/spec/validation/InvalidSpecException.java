package dev.berth.spec.validation;

import java.util.List;

/**
 * Input that breaks the rules; nothing was changed. Carries every violation, not just the first.
 */
public class InvalidSpecException extends RuntimeException {

  private final List<Violation> violations;

  public InvalidSpecException(List<Violation> violations) {
    super(Violation.describe(violations));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
