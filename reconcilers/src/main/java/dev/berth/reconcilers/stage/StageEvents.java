package dev.berth.reconcilers.stage;

import dev.berth.core.stage.StageListener;
import dev.berth.core.stage.StagePhase;
import dev.berth.reconcilers.service.StatusWriter;
import dev.berth.store.registry.ServiceEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;

/**
 * What a change of a boot stage's phase says: a line in the log, and an event in the history of
 * each of the stage's services. A stage that failed or was skipped after its timeout is a warning
 * ({@code StageFailed}, {@code StageSkipped}), one that passed a normal event ({@code
 * StagePassed}); the phases on the way there are logged only.
 */
public final class StageEvents implements StageListener {

  private static final Logger LOG = System.getLogger(StageEvents.class.getName());

  private final List<BootStage> stages;
  private final StatusWriter status;

  /** Events for {@code stages}, recorded through {@code status}. */
  public StageEvents(List<BootStage> stages, StatusWriter status) {
    this.stages = List.copyOf(stages);
    this.status = Objects.requireNonNull(status, "status");
  }

  @Override
  public void phaseChanged(String stage, StagePhase from, StagePhase to, String reason) {
    boolean bad = to == StagePhase.FAILED || to == StagePhase.SKIPPED;
    LOG.log(
        bad ? Level.WARNING : Level.INFO,
        "boot stage {0}: {1} -> {2} ({3})",
        stage,
        from,
        to,
        reason);
    if (!bad && to != StagePhase.PASSED) {
      return;
    }
    String message =
        to == StagePhase.SKIPPED
            ? "boot stage " + stage + " is not up, and later stages proceed without it: " + reason
            : to == StagePhase.FAILED
                ? "boot stage " + stage + " is not up; later stages keep waiting: " + reason
                : "boot stage " + stage + " is up";
    for (BootStage configured : stages) {
      if (configured.name().equals(stage)) {
        for (String service : configured.services()) {
          status.event(
              service,
              null,
              bad ? ServiceEvent.Type.WARNING : ServiceEvent.Type.NORMAL,
              "Stage" + phaseWord(to),
              message);
        }
      }
    }
  }

  private static String phaseWord(StagePhase phase) {
    return switch (phase) {
      case PASSED -> "Passed";
      case SKIPPED -> "Skipped";
      case FAILED -> "Failed";
      default -> phase.name();
    };
  }
}
