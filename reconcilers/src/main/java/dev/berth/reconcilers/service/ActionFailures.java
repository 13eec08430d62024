package dev.berth.reconcilers.service;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.spec.status.ActionFailure;

/** How a runtime's failure shows in status: the {@link ActionFailure} of each of its reasons. */
public final class ActionFailures {

  private ActionFailures() {}

  /**
   * The failure each reason a runtime gives shows as. The switch has no default, so that a reason
   * added to {@link RuntimeFailure.Reason} does not compile until it has its word here.
   */
  public static ActionFailure of(RuntimeFailure.Reason reason) {
    return switch (reason) {
      case IMAGE_MISSING -> ActionFailure.IMAGE_MISSING;
      case NAME_IN_USE -> ActionFailure.NAME_IN_USE;
      case EXECUTABLE_NOT_FOUND -> ActionFailure.NO_SUCH_EXECUTABLE;
      case INVALID_SPEC -> ActionFailure.INVALID_SPEC;
      case SECRET_UNUSABLE -> ActionFailure.SECRET_UNUSABLE;
      case PORT_TAKEN -> ActionFailure.PORT_TAKEN;
      case UNAVAILABLE -> ActionFailure.RUNTIME_DOWN;
      // A workload gone between planning and acting: the next plan sees it gone and acts.
      case NOT_FOUND, FAILED -> ActionFailure.RUNTIME_FAILED;
    };
  }
}
