package dev.berth.reconcilers.service;

import dev.berth.runtime.RuntimeFailure;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a runtime failure shows in status: one CamelCase word, which is both the component's state
 * and the reason of its Ready condition ({@code ImageMissing}), and whether it is terminal.
 *
 * <p>A terminal failure is one that waiting will not repair: an operator must act (bring the image,
 * remove the workload that holds the name, fix the spec). Berth still tries again with backoff
 * (except for a spec the runtime refuses, which waits for a new one), so the component recovers by
 * itself once the operator has acted; {@code berth apply --wait} gives up at once instead of
 * waiting for its timeout.
 *
 * @param word the state and Ready reason, at most {@value #MAX_WORD} characters (the registry's
 *     state column)
 * @param terminal whether waiting cannot repair it
 */
public record FailureReason(String word, boolean terminal) {

  /** The longest state the registry stores. */
  public static final int MAX_WORD = 16;

  /** The word and terminality of each reason a runtime gives. */
  public static FailureReason of(RuntimeFailure.Reason reason) {
    return switch (reason) {
      case IMAGE_MISSING -> new FailureReason("ImageMissing", true);
      case NAME_IN_USE -> new FailureReason("NameInUse", true);
      case INVALID_SPEC -> new FailureReason("InvalidSpec", true);
      case PORT_TAKEN -> new FailureReason("PortTaken", false);
      case UNAVAILABLE -> new FailureReason("RuntimeDown", false);
      // A workload gone between planning and acting: the next plan sees it gone and acts.
      case NOT_FOUND, FAILED -> new FailureReason("RuntimeFailed", false);
      // A reason added to RuntimeFailure.Reason after this table takes its own name in CamelCase
      // if it fits (else RuntimeRefused), terminal unless the runtime says retrying helps, until
      // it gets a line above. EXECUTABLE_NOT_FOUND, from the process runtime, belongs here as
      // ("NoSuchExecutable", true).
      default -> {
        String word = camelCase(reason.name());
        yield new FailureReason(
            word.length() <= MAX_WORD
                ? word
                : reason.retryable() ? "RuntimeFailed" : "RuntimeRefused",
            !reason.retryable());
      }
    };
  }

  /** Whether {@code state} is the word of a terminal failure. */
  public static boolean terminal(String state) {
    return Arrays.stream(RuntimeFailure.Reason.values())
        .map(FailureReason::of)
        .anyMatch(failure -> failure.terminal() && failure.word().equals(state));
  }

  private static String camelCase(String constant) {
    StringBuilder word = new StringBuilder();
    for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
      if (!part.isEmpty()) {
        word.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return word.toString();
  }
}
