package dev.berth.spec.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One broken rule: where, and which rule. Prints as {@code components[1].routes[0].port: must be
 * 1..65535}.
 *
 * @param path the field path from the object validated, or empty for the object itself
 * @param message the rule that was broken, phrased for the person who wrote the value
 */
public record Violation(String path, String message) {

  /**
   * The same violation seen from an enclosing object: {@code prefix.path} or {@code prefix[..]}.
   */
  public Violation within(String prefix) {
    if (path.isEmpty()) {
      return new Violation(prefix, message);
    }
    return new Violation(path.startsWith("[") ? prefix + path : prefix + "." + path, message);
  }

  /** One violation as {@code path: rule}; several as {@code N problems:} and one per line. */
  public static String describe(List<Violation> violations) {
    return violations.size() == 1
        ? violations.get(0).toString()
        : violations.size()
            + " problems:\n"
            + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
