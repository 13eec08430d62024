package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.controller.Controller;
import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An embedder's own loops in the kit, beside Berth's, run until every loop is idle. */
class OwnControllersTest {

  /**
   * Moves each key's applied count one step toward its desired count per reconcile, coming back
   * after {@link #STEP}: a loop that needs the clock to move to converge.
   */
  static final class Stepper implements Reconciler<String> {
    static final Duration STEP = Duration.ofSeconds(5);
    final Map<String, Integer> desired = new ConcurrentHashMap<>();
    final Map<String, Integer> applied = new ConcurrentHashMap<>();

    @Override
    public Result reconcile(String key) {
      int want = desired.getOrDefault(key, 0);
      int now = applied.merge(key, 0, Integer::sum);
      if (now == want) {
        return Result.done();
      }
      applied.put(key, now + 1);
      return Result.requeueAfter(STEP);
    }
  }

  @Test
  void anOwnLoopIsRunUntilIdleMovingTheClockToEachRequeue() {
    Stepper stepper = new Stepper();
    stepper.desired.put("team-a", 3);
    try (BerthTestKit kit =
        BerthTestKit.start(
            node ->
                node.controller(
                    Controller.builder("quotas", stepper).keyLister(() -> List.of("team-a")),
                    quotas -> {}))) {
      long before = kit.clock().nanoTime();

      kit.convergeUntilIdle();

      assertThat(stepper.applied).containsEntry("team-a", 3);
      assertThat(Duration.ofNanos(kit.clock().nanoTime() - before))
          .isGreaterThanOrEqualTo(Stepper.STEP.multipliedBy(3));
    }
  }

  @Test
  void berthsLoopsAndAnOwnLoopConvergeTogetherAndTheOwnWatchEnqueues() {
    Stepper stepper = new Stepper();
    AtomicReference<Controller<String>> quotas = new AtomicReference<>();
    try (BerthTestKit kit =
        BerthTestKit.start(
            node -> node.controller(Controller.builder("quotas", stepper), quotas::set))) {
      kit.declare(ServiceSpec.of("shop", ComponentSpec.container("web", "localhost/web:1")));
      stepper.desired.put("team-b", 2);
      quotas.get().enqueue("team-b"); // what the embedder's watch of its own source does

      kit.convergeUntilIdle();

      assertThat(stepper.applied).containsEntry("team-b", 2);
      assertThat(kit.workload("shop", "web"))
          .hasValueSatisfying(w -> assertThat(w.running()).isTrue());
      assertThat(kit.node().controllers())
          .extracting(Controller::name)
          .contains("services", "quotas");
    }
  }

  @Test
  void aKeyThatNeverSettlesFailsNamingTheLoopAndTheKey() {
    Reconciler<String> restless = key -> Result.requeueAfter(Duration.ofSeconds(1));
    try (BerthTestKit kit =
        BerthTestKit.start(
            node ->
                node.controller(
                    Controller.builder("restless", restless).keyLister(() -> List.of("stuck")),
                    loop -> {}))) {

      assertThatThrownBy(() -> kit.convergeUntilIdle(Duration.ofMinutes(1), 5))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("the loops were not idle after 5 moves of the clock")
          .hasMessageContaining("restless: due back [stuck in ");
    }
  }

  @Test
  void aRequeueBeyondTheWindowDoesNotKeepTheLoopsBusy() {
    Reconciler<String> daily = key -> Result.requeueAfter(Duration.ofDays(1));
    AtomicReference<Controller<String>> loop = new AtomicReference<>();
    try (BerthTestKit kit =
        BerthTestKit.start(
            node ->
                node.controller(
                    Controller.builder("daily", daily).keyLister(() -> List.of("report")),
                    loop::set))) {

      kit.convergeUntilIdle(Duration.ofHours(1), 10);

      assertThat(loop.get().pending().delayed()).containsOnlyKeys("report");
    }
  }
}
