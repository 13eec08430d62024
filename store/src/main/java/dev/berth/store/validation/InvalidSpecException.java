package dev.berth.store.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input that breaks the rules; nothing was changed. Carries every violation, not just the first.
 */
public class InvalidSpecException extends RuntimeException {

  private final List<Violation> violations;

  public InvalidSpecException(List<Violation> violations) {
    super(
        violations.size() == 1
            ? violations.get(0).toString()
            : violations.size()
                + " problems:\n"
                + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
