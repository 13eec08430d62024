package dev.berth.core.controller;

import static dev.berth.core.testing.Eventually.eventually;
import static dev.berth.core.testing.ScriptedReconciler.blockUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.testing.ScriptedReconciler;
import dev.berth.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagerTest {

  private final ManualClock clock = new ManualClock();
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private final ScriptedReconciler reconciler =
      new ScriptedReconciler().script("slow", blockUntil(releaseSlow));
  private final Controller<String> first =
      Controller.builder("first", reconciler)
          .clock(clock)
          .keyLister(() -> List.of("a", "b"))
          .build();
  private final Controller<String> second =
      Controller.builder("second", reconciler)
          .clock(clock)
          .keyLister(() -> List.of("slow"))
          .build();
  private final Manager manager = Manager.of(first, second);

  @AfterEach
  void stop() {
    releaseSlow.countDown();
    manager.stop(Duration.ofSeconds(10));
  }

  @Test
  void startsEveryController() {
    manager.start();

    assertThat(manager.health()).allMatch(ControllerHealth::running);
    eventually().until(() -> reconciler.calls().containsAll(List.of("a", "b", "slow")));
  }

  @Test
  void isNotHealthyBeforeStartAndHealthyOnceStarted() {
    assertThat(manager.isHealthy()).isFalse();

    manager.start();

    assertThat(manager.isHealthy()).isTrue();
  }

  @Test
  void isReadyOnlyWhenEveryControllerHasMadeItsFirstPass() {
    manager.start();
    eventually().until(() -> first.health().ready());
    assertThat(manager.isReady()).isFalse();

    releaseSlow.countDown();

    eventually().until(manager::isReady);
  }

  @Test
  void stopStopsEveryController() {
    manager.start();
    releaseSlow.countDown();

    assertThat(manager.stop(Duration.ofSeconds(10))).isTrue();

    assertThat(manager.health()).noneMatch(ControllerHealth::running);
    assertThat(manager.isHealthy()).isFalse();
  }

  @Test
  void ifAControllerFailsToStartTheOnesAlreadyStartedAreStopped() {
    second.start(); // starting it a second time will fail

    assertThatThrownBy(manager::start).isInstanceOf(IllegalStateException.class);

    assertThat(first.health().running()).isFalse();
  }

  @Test
  void loopsAddedThroughTheBuilderShareItsClockAndMeterRegistry() {
    ManualClock shared = new ManualClock();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ScriptedReconciler scripted = new ScriptedReconciler();
    Manager.Builder loops = Manager.builder().clock(shared).meterRegistry(meters);
    Controller<String> one = loops.add(Controller.builder("one", scripted));
    Controller<String> two = loops.add(Controller.builder("two", scripted));
    Manager both = loops.build();
    both.start();
    try {
      one.enqueueAfter("late-one", Duration.ofMinutes(1));
      two.enqueueAfter("late-two", Duration.ofMinutes(1));
      eventually().until(() -> shared.pendingTimers().size() >= 2);
      assertThat(scripted.calls()).isEmpty();

      shared.advance(Duration.ofMinutes(1));

      eventually().until(() -> scripted.calls().containsAll(List.of("late-one", "late-two")));
      assertThat(both.health())
          .extracting(ControllerHealth::controller)
          .containsExactly("one", "two");
      eventually()
          .until(
              () ->
                  List.of("one", "two").stream()
                      .allMatch(
                          name ->
                              meters
                                      .find("controller.runtime.reconcile")
                                      .tag("controller", name)
                                      .tag("result", ReconcileOutcome.SUCCESS.tag())
                                      .counter()
                                      .count()
                                  == 1));
    } finally {
      both.stop(Duration.ofSeconds(10));
    }
  }
}
