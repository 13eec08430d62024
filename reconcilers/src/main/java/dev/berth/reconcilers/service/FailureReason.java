package dev.berth.reconcilers.service;

import dev.berth.runtime.RuntimeFailure;
import java.util.Arrays;

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

  /**
   * The word and terminality of each reason a runtime gives. The switch has no default, so that a
   * reason added to {@link RuntimeFailure.Reason} does not compile until it has its word here.
   */
  public static FailureReason of(RuntimeFailure.Reason reason) {
    return switch (reason) {
      case IMAGE_MISSING -> new FailureReason("ImageMissing", true);
      case NAME_IN_USE -> new FailureReason("NameInUse", true);
      case EXECUTABLE_NOT_FOUND -> new FailureReason("NoSuchExecutable", true);
      case INVALID_SPEC -> new FailureReason("InvalidSpec", true);
      case PORT_TAKEN -> new FailureReason("PortTaken", false);
      case UNAVAILABLE -> new FailureReason("RuntimeDown", false);
      // A workload gone between planning and acting: the next plan sees it gone and acts.
      case NOT_FOUND, FAILED -> new FailureReason("RuntimeFailed", false);
    };
  }

  /** Whether {@code state} is the word of a terminal failure. */
  public static boolean terminal(String state) {
    return Arrays.stream(RuntimeFailure.Reason.values())
        .map(FailureReason::of)
        .anyMatch(failure -> failure.terminal() && failure.word().equals(state));
  }
}
