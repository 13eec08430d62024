package dev.berth.examples.engine;

import dev.berth.core.controller.Controller;
import dev.berth.core.controller.ControllerHealth;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.StageStatus;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Locale;

/**
 * One line of progress: convergence as the referee sees it, and the engine's state as it reports
 * it. While the boot stages hold keys back, also which stage they wait for.
 */
final class ProgressLine {

  private final ConvergenceReferee convergence;
  private final Controller<String> controller;
  private final Counter retries;
  private final OrderedStages<String> stages;
  private final String format;

  ProgressLine(
      ConvergenceReferee convergence,
      Controller<String> controller,
      Counter retries,
      OrderedStages<String> stages) {
    this.convergence = convergence;
    this.controller = controller;
    this.retries = retries;
    this.stages = stages;
    int width = String.valueOf(convergence.keys()).length();
    this.format =
        "converged %"
            + width
            + "d/%d  queue %"
            + width
            + "d  in-flight %2d  retries %4d  parked %d";
  }

  String render() {
    ControllerHealth health = controller.health();
    String line =
        String.format(
            Locale.ROOT,
            format,
            convergence.count(),
            convergence.keys(),
            health.queueDepth(),
            health.inFlight(),
            (long) retries.count(),
            health.parkedKeys());
    String heldBackBy = heldBackBy();
    return heldBackBy == null
        ? line
        : line + "  held " + health.heldKeys() + ", boot waits for " + heldBackBy;
  }

  /** The first stage that holds later ones back, with its readiness; null once none does. */
  private String heldBackBy() {
    List<StageStatus> statuses = stages.progress();
    // The last stage holds nothing back: no stage comes after it.
    for (int i = 0; i < statuses.size() - 1; i++) {
      StageStatus status = statuses.get(i);
      if (!status.phase().letsNextStageIn()) {
        return status.name() + " (" + status.reason() + ")";
      }
    }
    return null;
  }
}
