package dev.berth.examples.engine;

import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.Stage;
import dev.berth.core.stage.StageListener;
import dev.berth.core.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The node's boot order as readiness gates: the databases first, then the brokers, then every app.
 * A stage is up when each of its members that can run is converged.
 */
final class StartupOrder {

  static final String DATABASE = "database";
  static final String BROKER = "broker";
  static final String APPS = "apps";

  /** Generous: the demo's own timeouts catch a boot that hangs; this only reports it. */
  private static final Duration STAGE_TIMEOUT = Duration.ofSeconds(30);

  private StartupOrder() {}

  static OrderedStages<String> stages(
      Declared declared, ConvergenceReferee convergence, StageListener listener) {
    return new OrderedStages<>(
        List.of(
            stage(DATABASE, Scenario.DATABASE, declared, convergence),
            stage(BROKER, Scenario.BROKER, declared, convergence),
            stage(APPS, Scenario.APP, declared, convergence)),
        Clock.system(),
        listener);
  }

  private static Stage<String> stage(
      String name, String keyPrefix, Declared declared, ConvergenceReferee convergence) {
    // A member whose spec cannot run is parked; it must not hold back the whole boot.
    List<String> members =
        declared.keys().stream()
            .filter(key -> key.startsWith(keyPrefix))
            .filter(convergence::canConverge)
            .toList();
    return new Stage<>(
        name,
        key -> key.startsWith(keyPrefix),
        () -> readiness(members, convergence),
        STAGE_TIMEOUT,
        true);
  }

  private static Readiness readiness(List<String> members, ConvergenceReferee convergence) {
    long up = members.stream().filter(convergence::converged).count();
    String reason = up + "/" + members.size() + " up";
    return up == members.size() ? new Readiness(true, reason) : Readiness.notReady(reason);
  }
}
