package dev.berth.core.controller;

import static dev.berth.core.testing.Eventually.eventually;
import static dev.berth.core.testing.ScriptedReconciler.backingOff;
import static dev.berth.core.testing.ScriptedReconciler.blockUntil;
import static dev.berth.core.testing.ScriptedReconciler.error;
import static dev.berth.core.testing.ScriptedReconciler.fail;
import static dev.berth.core.testing.ScriptedReconciler.requeueAfter;
import static dev.berth.core.testing.ScriptedReconciler.succeed;
import static dev.berth.core.testing.ScriptedReconciler.terminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.reconcile.Result;
import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.Stage;
import dev.berth.core.testing.ScriptedReconciler;
import dev.berth.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ControllerTest {

  private final ManualClock clock = new ManualClock();
  private final ScriptedReconciler reconciler = new ScriptedReconciler();
  private Controller<String> controller;

  private Controller<String> start(UnaryOperator<Controller.Builder<String>> settings) {
    controller = settings.apply(Controller.builder("test", reconciler).clock(clock)).build();
    controller.start();
    return controller;
  }

  private Controller<String> start() {
    return start(builder -> builder);
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.stop(Duration.ofSeconds(10));
    }
  }

  /**
   * Waits until the worker has finished with the key and the one timer it left is due in {@code
   * due}.
   */
  private void awaitTimer(Duration due) {
    eventually().until(() -> clock.pendingTimers().contains(due));
  }

  @Nested
  class Reconciling {

    @Test
    void reconcilesAKeyThatIsEnqueued() {
      start();

      controller.enqueue("a");

      eventually().until(() -> reconciler.callsFor("a") == 1);
    }

    @Test
    void aFailureIsRetriedAfterABackoffThatDoublesPerKey() {
      reconciler.script("a", fail(), fail());
      start();

      controller.enqueue("a");
      eventually().until(() -> reconciler.callsFor("a") == 1);
      awaitTimer(Duration.ofMillis(5));
      clock.advance(Duration.ofMillis(5));
      eventually().until(() -> reconciler.callsFor("a") == 2);
      awaitTimer(Duration.ofMillis(10));
      clock.advance(Duration.ofMillis(9));
      assertThat(reconciler.callsFor("a")).isEqualTo(2);
      clock.advance(Duration.ofMillis(1));

      eventually().until(() -> reconciler.callsFor("a") == 3);
    }

    @Test
    void successResetsTheBackoff() {
      reconciler.script("a", fail(), succeed(), fail());
      start();

      controller.enqueue("a");
      awaitTimer(Duration.ofMillis(5));
      clock.advance(Duration.ofMillis(5));
      eventually().until(() -> reconciler.callsFor("a") == 2);
      controller.enqueue("a");
      eventually().until(() -> reconciler.callsFor("a") == 3);

      awaitTimer(Duration.ofMillis(5));
    }

    @Test
    void requeueAfterReconcilesAgainAfterTheDelayWithoutCountingAFailure() {
      reconciler.script("a", requeueAfter(Duration.ofSeconds(30)), fail());
      start();

      controller.enqueue("a");
      awaitTimer(Duration.ofSeconds(30));
      clock.advance(Duration.ofSeconds(30));
      eventually().until(() -> reconciler.callsFor("a") == 2);

      awaitTimer(Duration.ofMillis(5));
    }

    @Test
    void aKeyBackingOffKeepsItsFailureCountSoItsNextFailureWaitsLonger() {
      reconciler.script("a", fail(), backingOff(Duration.ofMillis(5)), fail());
      start();

      controller.enqueue("a");
      awaitTimer(Duration.ofMillis(5));
      controller.enqueue("a"); // something else asks for it before its retry is due
      eventually().until(() -> reconciler.callsFor("a") == 2);
      clock.advance(Duration.ofMillis(5));
      eventually().until(() -> reconciler.callsFor("a") == 3);

      awaitTimer(Duration.ofMillis(10));
    }

    @Test
    void aTerminalFailureIsNotRetried() {
      reconciler.script("a", terminal());
      start();

      controller.enqueue("a");
      eventually().until(() -> controller.health().parkedKeys() == 1);

      assertThat(clock.pendingTimers()).isEmpty();
      clock.advance(Duration.ofHours(1));
      assertThat(reconciler.callsFor("a")).isEqualTo(1);
    }

    @Test
    void aTerminallyFailedKeyIsListedWithItsReason() {
      reconciler.script("a", terminal());
      start();

      controller.enqueue("a");

      eventually().until(() -> controller.health().parkedKeys() == 1);
      assertThat(controller.parked()).containsEntry("a", "scripted terminal failure of a");
    }

    @Test
    void aTerminallyFailedKeyRunsAgainWhenItIsEnqueued() {
      reconciler.script("a", terminal());
      start();
      controller.enqueue("a");
      eventually().until(() -> controller.health().parkedKeys() == 1);

      controller.enqueue("a");

      eventually().until(() -> reconciler.callsFor("a") == 2);
      eventually().until(() -> controller.health().parkedKeys() == 0);
    }

    @Test
    void anErrorThrownByTheReconcilerDoesNotKillItsWorker() {
      reconciler.script("a", error(new StackOverflowError("scripted")));
      reconciler.script("b", error(new AssertionError("scripted")));
      start(builder -> builder.workers(1));

      controller.enqueue("a");
      controller.enqueue("b");
      controller.enqueue("c");

      eventually().until(() -> reconciler.callsFor("c") == 1);
      assertThat(controller.health().workersAlive()).isEqualTo(1);
      assertThat(controller.health().healthy()).isTrue();
    }

    @Test
    void anErrorIsRetriedWithBackoffLikeAnException() {
      reconciler.script("a", error(new NoClassDefFoundError("scripted")));
      start();

      controller.enqueue("a");
      awaitTimer(Duration.ofMillis(5));
      clock.advance(Duration.ofMillis(5));

      eventually().until(() -> reconciler.callsFor("a") == 2);
    }

    @Test
    void aChangeOvertakesTheResyncBacklog() {
      CountDownLatch release = new CountDownLatch(1);
      reconciler.script("k0", blockUntil(release));
      List<String> backlog = IntStream.range(0, 10_000).mapToObj(i -> "k" + i).toList();
      start(builder -> builder.workers(1).keyLister(() -> backlog));
      eventually().until(() -> controller.health().queueDepth() == 9_999);

      controller.enqueue("fresh");
      release.countDown();

      eventually().until(() -> reconciler.calls().size() >= 2);
      assertThat(reconciler.calls().subList(0, 2)).containsExactly("k0", "fresh");
    }

    @Test
    void manyWorkersNeverReconcileOneKeyAtTheSameTime() {
      AtomicInteger overlaps = new AtomicInteger();
      int[] inFlight = new int[10];
      Controller<Integer> parallel =
          Controller.<Integer>builder(
                  "parallel",
                  key -> {
                    synchronized (inFlight) {
                      if (++inFlight[key] > 1) {
                        overlaps.incrementAndGet();
                      }
                    }
                    Thread.yield();
                    synchronized (inFlight) {
                      inFlight[key]--;
                    }
                    return Result.done();
                  })
              .workers(8)
              .build();
      parallel.start();
      try {
        for (int i = 0; i < 20_000; i++) {
          parallel.enqueue(i % 10);
        }
        eventually().until(() -> parallel.health().queueDepth() == 0);
      } finally {
        assertThat(parallel.stop(Duration.ofSeconds(10))).isTrue();
      }
      assertThat(overlaps.get()).isZero();
    }
  }

  @Nested
  class Resync {

    @Test
    void everyListedKeyIsReconciledAtStart() {
      List<String> keys = IntStream.range(0, 100).mapToObj(i -> "k" + i).toList();

      start(builder -> builder.workers(4).keyLister(() -> keys));

      eventually().until(() -> reconciler.calls().containsAll(keys));
    }

    @Test
    void theControllerIsReadyOnlyOnceEveryListedKeyWasReconciledOnce() {
      CountDownLatch release = new CountDownLatch(1);
      reconciler.script("slow", blockUntil(release));
      start(builder -> builder.workers(2).keyLister(() -> List.of("fast", "slow")));

      eventually().until(() -> reconciler.callsFor("fast") == 1);
      assertThat(controller.health().ready()).isFalse();
      release.countDown();

      eventually().until(() -> controller.health().ready());
    }

    @Test
    void withoutAKeyListerTheControllerIsReadyAtOnce() {
      start();

      assertThat(controller.health().ready()).isTrue();
    }

    @Test
    void everyKeyIsReconciledAgainEachPeriodWithUpToTenPercentJitter() {
      start(
          builder ->
              builder.keyLister(() -> List.of("a", "b")).resyncPeriod(Duration.ofSeconds(60)));
      // The first reconciles done first: a resync while a key still waits in the queue merges
      // into it (one reconcile, not two), which is right, but is not what this test counts.
      eventually().until(() -> reconciler.callsFor("a") == 1 && reconciler.callsFor("b") == 1);
      eventually().until(() -> !clock.pendingTimers().isEmpty());

      Duration next = clock.pendingTimers().get(0);
      assertThat(next).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(66));
      clock.advance(next);

      eventually().until(() -> reconciler.callsFor("a") == 2 && reconciler.callsFor("b") == 2);
    }

    @Test
    void withoutJitterTheResyncComesExactlyEveryPeriod() {
      start(
          builder ->
              builder
                  .keyLister(() -> List.of("a"))
                  .resyncPeriod(Duration.ofSeconds(60))
                  .resyncJitter(0));

      awaitTimer(Duration.ofSeconds(60));
    }

    @Test
    void aResyncSkipsTerminallyFailedKeys() {
      reconciler.script("broken", terminal());
      start(
          builder ->
              builder
                  .keyLister(() -> List.of("broken", "fine"))
                  .resyncPeriod(Duration.ofSeconds(60)));
      eventually().until(() -> controller.health().parkedKeys() == 1);
      eventually().until(() -> !clock.pendingTimers().isEmpty());

      clock.advance(Duration.ofSeconds(66));

      eventually().until(() -> reconciler.callsFor("fine") == 2);
      assertThat(reconciler.callsFor("broken")).isEqualTo(1);
    }

    @Test
    void aFailedListingIsRetriedWithBackoff() {
      AtomicInteger listings = new AtomicInteger();
      start(
          builder ->
              builder.keyLister(
                  () -> {
                    if (listings.incrementAndGet() <= 2) {
                      throw new IllegalStateException("store unavailable");
                    }
                    return List.of("a");
                  }));

      awaitTimer(Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      awaitTimer(Duration.ofSeconds(2));
      assertThat(controller.health().ready()).isFalse();
      clock.advance(Duration.ofSeconds(2));

      eventually().until(() -> reconciler.callsFor("a") == 1);
      eventually().until(() -> controller.health().ready());
    }
  }

  @Nested
  class Gating {

    private final AtomicBoolean storageReady = new AtomicBoolean();
    private final AtomicInteger gateCalls = new AtomicInteger();

    /** Holds every key whose name starts with "app" until storage is ready. */
    private final Gate<String> gate =
        key -> {
          gateCalls.incrementAndGet();
          return key.startsWith("app") && !storageReady.get()
              ? Admission.waitingFor("storage", "database not answering")
              : Admission.GRANTED;
        };

    @Test
    void aKeyTheGateDoesNotAdmitIsHeldAndNotReconciled() {
      start(builder -> builder.gate(gate));

      controller.enqueue("app-web");

      eventually().until(() -> controller.health().heldKeys() == 1);
      assertThat(controller.held())
          .containsEntry("app-web", Admission.waitingFor("storage", "database not answering"));
      assertThat(reconciler.calls()).isEmpty();
    }

    @Test
    void heldKeysAreReconciledOnceARecheckAdmitsThem() {
      start(builder -> builder.gate(gate).gateRecheck(Duration.ofMillis(500)));
      controller.enqueue("app-web");
      awaitTimer(Duration.ofMillis(500));

      storageReady.set(true);
      clock.advance(Duration.ofMillis(500));

      eventually().until(() -> reconciler.callsFor("app-web") == 1);
      assertThat(controller.health().heldKeys()).isZero();
    }

    @Test
    void heldKeysGoOnAtOnceWhenTheGateSaysItsAnswerChanged() {
      start(builder -> builder.gate(gate).gateRecheck(Duration.ofHours(1)));
      controller.enqueue("app-web");
      eventually().until(() -> controller.health().heldKeys() == 1);

      storageReady.set(true);
      controller.recheckHeld(); // the clock does not move: no periodic recheck comes

      eventually().until(() -> reconciler.callsFor("app-web") == 1);
      assertThat(controller.health().heldKeys()).isZero();
    }

    @Test
    void anEarlyRecheckLeavesOnePeriodicRecheck() {
      start(builder -> builder.gate(gate).gateRecheck(Duration.ofSeconds(1)));
      controller.enqueue("app-web");
      awaitTimer(Duration.ofSeconds(1));

      for (int i = 0; i < 5; i++) {
        controller.recheckHeld();
      }
      eventually().until(() -> gateCalls.get() == 1 + 5);
      gateCalls.set(0);
      clock.advance(Duration.ofSeconds(1));

      awaitTimer(Duration.ofSeconds(1));
      assertThat(clock.pendingTimers()).containsOnlyOnce(Duration.ofSeconds(1));
      assertThat(gateCalls.get()).isEqualTo(1);
    }

    @Test
    void aHeldKeyKeepsNoWorkerWaiting() {
      start(builder -> builder.gate(gate).workers(1));

      controller.enqueue("app-web");
      controller.enqueue("database");

      eventually().until(() -> reconciler.callsFor("database") == 1);
    }

    @Test
    void aRecheckAsksTheGateOnceForAllKeysWaitingForTheSameThing() {
      start(builder -> builder.gate(gate));
      for (int i = 0; i < 100; i++) {
        controller.enqueue("app-" + i);
      }
      eventually().until(() -> controller.health().heldKeys() == 100);
      awaitTimer(Duration.ofSeconds(1));
      gateCalls.set(0);

      clock.advance(Duration.ofSeconds(1));

      awaitTimer(Duration.ofSeconds(1));
      assertThat(gateCalls.get()).isEqualTo(1);
    }

    @Test
    void heldKeysDoNotCountAsReconciledForReadiness() {
      start(builder -> builder.gate(gate).keyLister(() -> List.of("database", "app-web")));
      eventually().until(() -> reconciler.callsFor("database") == 1);
      eventually().until(() -> controller.health().heldKeys() == 1);
      assertThat(controller.health().ready()).isFalse();

      storageReady.set(true);
      clock.advance(Duration.ofSeconds(1));

      eventually().until(() -> controller.health().ready());
    }

    @Test
    void orderedStagesGateAStartUpWithoutAThreadWaiting() {
      AtomicBoolean databaseUp = new AtomicBoolean();
      OrderedStages<String> stages =
          new OrderedStages<>(
              List.of(
                  new Stage<>(
                      "storage",
                      "database"::equals,
                      () -> databaseUp.get() ? Readiness.READY : Readiness.notReady("starting"),
                      null,
                      true),
                  new Stage<>("apps", "web"::equals, () -> Readiness.READY, null, true)),
              clock);
      start(builder -> builder.gate(stages).workers(1));

      controller.enqueue("web");
      controller.enqueue("database");
      controller.enqueue("unstaged");
      eventually().until(() -> reconciler.calls().containsAll(List.of("database", "unstaged")));
      eventually().until(() -> controller.health().heldKeys() == 1);
      awaitTimer(Duration.ofSeconds(1));

      databaseUp.set(true);
      clock.advance(Duration.ofSeconds(1));

      eventually().until(() -> reconciler.callsFor("web") == 1);
    }
  }

  @Nested
  class Stopping {

    @Test
    void stopLetsTheReconcileInFlightFinish() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      reconciler.script("a", blockUntil(release));
      start();
      controller.enqueue("a");
      eventually().until(() -> reconciler.callsFor("a") == 1);

      CompletableFuture<Boolean> stopped =
          CompletableFuture.supplyAsync(() -> controller.stop(Duration.ofSeconds(30)));
      eventually().until(() -> !controller.health().running());
      assertThat(stopped).isNotDone();
      release.countDown();

      assertThat(stopped.get()).isTrue();
      assertThat(controller.health().workersAlive()).isZero();
    }

    @Test
    void stopInterruptsReconcilesThatOutliveItsTimeout() {
      reconciler.script("a", blockUntil(new CountDownLatch(1)));
      start();
      controller.enqueue("a");
      eventually().until(() -> reconciler.callsFor("a") == 1);

      assertThat(controller.stop(Duration.ofMillis(10))).isFalse();

      eventually().until(() -> controller.health().workersAlive() == 0);
    }

    @Test
    void aStoppedControllerIsNotHealthyAndTakesNoMoreKeys() {
      start();
      controller.stop(Duration.ofSeconds(10));

      controller.enqueue("a");

      assertThat(controller.health().healthy()).isFalse();
      assertThat(controller.health().queueDepth()).isZero();
      assertThat(reconciler.calls()).isEmpty();
    }

    @Test
    void aControllerStartsOnlyOnce() {
      start();

      assertThatThrownBy(controller::start).isInstanceOf(IllegalStateException.class);
    }
  }
}
