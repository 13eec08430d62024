package dev.berth.core.stage;

import static dev.berth.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.controller.Controller;
import dev.berth.core.reconcile.Result;
import dev.berth.core.testing.ScriptedReconciler;
import dev.berth.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatedReconcilerTest {

  private final ManualClock clock = new ManualClock();
  private final AtomicBoolean databaseReady = new AtomicBoolean();
  private final OrderedStages<String> stages =
      new OrderedStages<>(
          List.of(
              new Stage<>(
                  "storage",
                  "database"::equals,
                  () -> databaseReady.get() ? Readiness.READY : Readiness.notReady("not yet"),
                  null,
                  true),
              new Stage<>("apps", "web"::equals, () -> Readiness.READY, null, true)),
          clock);
  private final ScriptedReconciler delegate = new ScriptedReconciler();
  private final GatedReconciler<String> gated =
      new GatedReconciler<>(stages, delegate, Duration.ofMillis(500));
  private Controller<String> controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.stop(Duration.ofSeconds(10));
    }
  }

  @Test
  void aKeyWhoseStageIsNotAdmittedIsRequeuedWithoutBeingReconciled() throws Exception {
    assertThat(gated.reconcile("web")).isEqualTo(Result.requeueAfter(Duration.ofMillis(500)));
    assertThat(delegate.calls()).isEmpty();
  }

  @Test
  void anAdmittedKeyIsReconciled() throws Exception {
    databaseReady.set(true);

    assertThat(gated.reconcile("web")).isEqualTo(Result.done());
    assertThat(delegate.calls()).containsExactly("web");
  }

  @Test
  void underAControllerALaterStageRunsOnceTheEarlierOneIsReadyAndNoWorkerWaitsMeanwhile() {
    controller = Controller.builder("gated", gated).clock(clock).workers(1).build();
    controller.start();

    controller.enqueue("web");
    controller.enqueue("database");
    controller.enqueue("unstaged");
    eventually().until(() -> delegate.calls().containsAll(List.of("database", "unstaged")));
    eventually().until(() -> clock.pendingTimers().contains(Duration.ofMillis(500)));
    assertThat(delegate.callsFor("web")).isZero();

    databaseReady.set(true);
    clock.advance(Duration.ofMillis(500));

    eventually().until(() -> delegate.callsFor("web") == 1);
  }
}
