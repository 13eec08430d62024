package dev.berth.core.queue;

import static dev.berth.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  private final ManualClock clock = new ManualClock();
  private final WorkQueue<String> queue = WorkQueue.<String>builder("test").clock(clock).build();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    queue.shutDown();
    for (Thread thread : threads) {
      thread.interrupt();
      thread.join(10_000);
    }
  }

  /** Takes every waiting key without blocking, marking each done at once. */
  private List<String> drain() {
    List<String> keys = new ArrayList<>();
    for (Optional<String> key = queue.poll(); key.isPresent(); key = queue.poll()) {
      keys.add(key.get());
      queue.done(key.get());
    }
    return keys;
  }

  private CompletableFuture<Optional<String>> getInBackground() {
    CompletableFuture<Optional<String>> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(queue.get());
              } catch (InterruptedException e) {
                result.completeExceptionally(e);
              }
            });
    threads.add(thread);
    thread.start();
    eventually().until(() -> thread.getState() == Thread.State.WAITING);
    return result;
  }

  @Nested
  class Adding {

    @Test
    void collapsesDuplicatesWhileAKeyWaits() {
      queue.add("a");
      queue.add("a");
      queue.add("b");
      queue.add("a");

      assertThat(queue.len()).isEqualTo(2);
      assertThat(drain()).containsExactly("a", "b");
    }

    @Test
    void handsOutKeysInTheOrderTheyWereFirstAdded() {
      queue.add("c");
      queue.add("a");
      queue.add("b");
      queue.add("c");

      assertThat(drain()).containsExactly("c", "a", "b");
    }

    @Test
    void addAllAddsEveryKeyOnceInItsLane() {
      List<String> keys = IntStream.range(0, 3000).mapToObj(i -> "k" + i).toList();
      queue.addAll(keys, Lane.RESYNC);
      queue.addAll(keys, Lane.RESYNC);

      assertThat(queue.len(Lane.RESYNC)).isEqualTo(3000);
      assertThat(drain()).containsExactlyElementsOf(keys);
    }

    @Test
    void lenCountsWaitingKeysButNotKeysBeingProcessed() {
      queue.add("a");
      queue.add("b");
      queue.poll();

      assertThat(queue.len()).isEqualTo(1);
      assertThat(queue.inFlight()).isEqualTo(1);
    }
  }

  @Nested
  class Processing {

    @Test
    void getBlocksUntilAKeyIsAdded() throws Exception {
      CompletableFuture<Optional<String>> got = getInBackground();
      assertThat(got).isNotDone();

      queue.add("a");

      assertThat(got.get()).contains("a");
    }

    @Test
    void aKeyIsHandedToOneWorkerOnly() throws Exception {
      CompletableFuture<Optional<String>> first = getInBackground();
      CompletableFuture<Optional<String>> second = getInBackground();

      queue.add("a");

      eventually().until(() -> first.isDone() || second.isDone());
      assertThat(first.isDone() ^ second.isDone()).as("exactly one getter got the key").isTrue();
      assertThat(queue.len()).isZero();
    }

    @Test
    void aKeyAddedWhileBeingProcessedIsNotHandedOutAgainUntilDone() {
      queue.add("a");
      assertThat(queue.poll()).contains("a");

      queue.add("a");

      assertThat(queue.poll()).isEmpty();
      assertThat(queue.len()).isZero();
      queue.done("a");
      assertThat(queue.poll()).contains("a");
    }

    @Test
    void aKeyAddedManyTimesWhileBeingProcessedRunsExactlyOnceMore() {
      queue.add("a");
      queue.poll();
      queue.add("a");
      queue.add("a");
      queue.add("a");

      queue.done("a");

      assertThat(drain()).containsExactly("a");
    }

    @Test
    void aKeyNotAddedAgainIsForgottenAfterDone() {
      queue.add("a");
      queue.poll();
      queue.done("a");

      assertThat(queue.len()).isZero();
      assertThat(queue.inFlight()).isZero();
      assertThat(queue.poll()).isEmpty();
    }

    @Test
    void doneWithoutGetIsABugAndIsRejected() {
      queue.add("a");

      assertThatThrownBy(() -> queue.done("a"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not being processed");
      assertThatThrownBy(() -> queue.done("never-added")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class PriorityLanes {

    @Test
    void aChangeOvertakesAResyncOfOneHundredThousandKeys() {
      queue.addAll(IntStream.range(0, 100_000).mapToObj(i -> "resync-" + i).toList(), Lane.RESYNC);

      queue.add("changed", Lane.CHANGE);

      assertThat(queue.poll()).contains("changed");
      assertThat(queue.len(Lane.RESYNC)).isEqualTo(100_000);
    }

    @Test
    void aKeyWaitingForResyncMovesUpWhenItChanges() {
      queue.add("a", Lane.RESYNC);
      queue.add("b", Lane.RESYNC);
      queue.add("b", Lane.CHANGE);

      assertThat(queue.len(Lane.CHANGE)).isEqualTo(1);
      assertThat(queue.len(Lane.RESYNC)).isEqualTo(1);
      assertThat(drain()).containsExactly("b", "a");
    }

    @Test
    void aResyncOfAKeyWaitingAsAChangeLeavesItInTheChangeLane() {
      queue.add("a", Lane.RESYNC);
      queue.add("b", Lane.CHANGE);
      queue.add("b", Lane.RESYNC);

      assertThat(drain()).containsExactly("b", "a");
    }

    @Test
    void aChangeToAKeyInFlightFromAResyncRunsInTheChangeLaneAfterDone() {
      queue.add("a", Lane.RESYNC);
      queue.add("other", Lane.RESYNC);
      queue.poll();

      queue.add("a", Lane.CHANGE);
      queue.done("a");

      assertThat(queue.len(Lane.CHANGE)).isEqualTo(1);
      assertThat(drain()).containsExactly("a", "other");
    }
  }

  @Nested
  class Delaying {

    @Test
    void addAfterAddsTheKeyOnlyOnceTheDelayHasPassed() {
      queue.addAfter("a", Duration.ofMillis(10));

      clock.advance(Duration.ofMillis(9));
      assertThat(queue.len()).isZero();
      assertThat(queue.pendingDelayed()).isEqualTo(1);

      clock.advance(Duration.ofMillis(1));
      assertThat(queue.len()).isEqualTo(1);
      assertThat(queue.pendingDelayed()).isZero();
    }

    @Test
    void theEarliestOfSeveralDelaysWins() {
      queue.addAfter("a", Duration.ofMillis(50));
      queue.addAfter("a", Duration.ofMillis(10));
      queue.addAfter("a", Duration.ofMillis(30));

      clock.advance(Duration.ofMillis(10));
      assertThat(drain()).containsExactly("a");

      clock.advance(Duration.ofMillis(100));
      assertThat(queue.len()).as("the later delays were merged, not kept").isZero();
    }

    @Test
    void delayedKeysAreAddedInOrderOfReadiness() {
      queue.addAfter("late", Duration.ofMillis(30));
      queue.addAfter("early", Duration.ofMillis(10));
      queue.addAfter("middle", Duration.ofMillis(20));

      clock.advance(Duration.ofMillis(30));

      assertThat(drain()).containsExactly("early", "middle", "late");
    }

    @Test
    void aZeroDelayAddsAtOnce() {
      queue.addAfter("a", Duration.ZERO);

      assertThat(queue.len()).isEqualTo(1);
    }

    @Test
    void aDelayedKeyThatIsAlreadyWaitingCollapses() {
      queue.add("a");
      queue.addAfter("a", Duration.ofMillis(5));
      clock.advance(Duration.ofMillis(5));

      assertThat(drain()).containsExactly("a");
    }

    @Test
    void onlyOneTimerIsPendingHoweverManyKeysAreDelayed() {
      for (int i = 0; i < 1000; i++) {
        queue.addAfter("k" + i, Duration.ofMillis(1000 - i));
      }

      assertThat(clock.pendingTimers()).hasSize(1);
      clock.advance(Duration.ofSeconds(1));
      assertThat(queue.len()).isEqualTo(1000);
      assertThat(clock.pendingTimers()).isEmpty();
    }

    @Test
    void aRequeueOfAKeyInFlightKeepsTheLaneItCameFrom() {
      queue.add("from-resync", Lane.RESYNC);
      queue.poll();
      queue.addAfter("from-resync", Duration.ofMillis(5));
      queue.done("from-resync");

      clock.advance(Duration.ofMillis(5));

      assertThat(queue.len(Lane.RESYNC)).isEqualTo(1);
    }

    @Test
    void aDelayedAddOfAnIdleKeyGoesInTheChangeLane() {
      queue.addAfter("a", Duration.ofMillis(5));
      clock.advance(Duration.ofMillis(5));

      assertThat(queue.len(Lane.CHANGE)).isEqualTo(1);
    }

    @Test
    void aDelayedKeyWakesABlockedGetter() throws Exception {
      CompletableFuture<Optional<String>> got = getInBackground();
      queue.addAfter("a", Duration.ofSeconds(3));

      clock.advance(Duration.ofSeconds(3));

      assertThat(got.get()).contains("a");
    }
  }

  @Nested
  class RateLimited {

    @Test
    void retriesBackOffExponentiallyFromFiveMilliseconds() {
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(5));
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(10));
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(20));
      assertThat(queue.numRequeues("a")).isEqualTo(3);
    }

    @Test
    void forgetResetsTheBackoff() {
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(5));
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(10));

      queue.forget("a");

      assertThat(queue.numRequeues("a")).isZero();
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(5));
    }

    @Test
    void eachKeyBacksOffOnItsOwn() {
      queue.addRateLimited("a");
      assertReadyAfter(Duration.ofMillis(5));
      queue.addRateLimited("a");

      queue.addRateLimited("b");

      clock.advance(Duration.ofMillis(5));
      assertThat(drain()).containsExactly("b");
      clock.advance(Duration.ofMillis(5));
      assertThat(drain()).containsExactly("a");
    }

    private void assertReadyAfter(Duration delay) {
      clock.advance(delay.minusNanos(1));
      assertThat(queue.len()).as("waiting before %s", delay).isZero();
      clock.advance(Duration.ofNanos(1));
      assertThat(drain()).as("ready after %s", delay).hasSize(1);
    }
  }

  @Nested
  class ShuttingDown {

    @Test
    void shutDownWakesBlockedGettersWithNothing() throws Exception {
      CompletableFuture<Optional<String>> first = getInBackground();
      CompletableFuture<Optional<String>> second = getInBackground();

      queue.shutDown();

      assertThat(first.get()).isEmpty();
      assertThat(second.get()).isEmpty();
    }

    @Test
    void shutDownRefusesNewAdds() {
      queue.shutDown();

      queue.add("a");
      queue.addAll(List.of("b", "c"), Lane.RESYNC);
      queue.addAfter("d", Duration.ZERO);
      queue.addRateLimited("e");

      assertThat(queue.len()).isZero();
      assertThat(queue.isShuttingDown()).isTrue();
    }

    @Test
    void shutDownAbandonsWaitingAndDelayedKeys() {
      queue.add("waiting");
      queue.addAfter("delayed", Duration.ofMillis(5));

      queue.shutDown();
      clock.advance(Duration.ofSeconds(1));

      assertThat(queue.poll()).isEmpty();
      assertThat(clock.pendingTimers()).isEmpty();
    }

    @Test
    void shutDownWithDrainWaitsForKeysInFlight() throws Exception {
      queue.add("a");
      queue.poll();
      CountDownLatch draining = new CountDownLatch(1);
      AtomicReference<Boolean> drained = new AtomicReference<>();
      Thread stopper =
          new Thread(
              () -> {
                draining.countDown();
                try {
                  drained.set(queue.shutDownWithDrain(Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads.add(stopper);
      stopper.start();
      draining.await();
      eventually().until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
      assertThat(drained.get()).as("still waiting while a key is in flight").isNull();

      queue.done("a");

      stopper.join();
      assertThat(drained.get()).isTrue();
    }

    @Test
    void shutDownAfterShutDownWithDrainEndsTheDrainAtOnce() throws Exception {
      queue.add("a");
      queue.poll();
      CompletableFuture<Boolean> drained = new CompletableFuture<>();
      Thread stopper =
          new Thread(
              () -> {
                try {
                  drained.complete(queue.shutDownWithDrain(Duration.ofHours(1)));
                } catch (InterruptedException e) {
                  drained.completeExceptionally(e);
                }
              });
      threads.add(stopper);
      stopper.start();
      eventually().until(() -> stopper.getState() == Thread.State.TIMED_WAITING);

      queue.shutDown();

      // client-go: "ShutDown can be called after ShutDownWithDrain to force ShutDownWithDrain to
      // stop waiting". The drain reports that a key was still in flight.
      assertThat(drained.get(30, TimeUnit.SECONDS)).isFalse();
      queue.done("a");
    }

    @Test
    void shutDownWithDrainGivesUpAfterItsTimeout() throws Exception {
      queue.add("a");
      queue.poll();

      assertThat(queue.shutDownWithDrain(Duration.ofMillis(20))).isFalse();
      queue.done("a");
    }

    @Test
    void shutDownWithDrainReturnsAtOnceWhenNothingIsInFlight() throws Exception {
      queue.add("waiting");

      assertThat(queue.shutDownWithDrain(Duration.ofHours(1))).isTrue();
    }

    @Test
    void aKeyAddedAgainWhileInFlightIsNotRequeuedAfterShutDown() {
      queue.add("a");
      queue.poll();
      queue.add("a");
      queue.shutDown();

      queue.done("a");

      assertThat(queue.len()).isZero();
    }
  }
}
