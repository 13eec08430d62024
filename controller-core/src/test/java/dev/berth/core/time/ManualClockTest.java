package dev.berth.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = new ManualClock();
  private final List<String> ran = new ArrayList<>();

  @Test
  void timeMovesOnlyWhenAdvanced() {
    long before = clock.nanoTime();
    clock.advance(Duration.ofMillis(7));
    assertThat(clock.nanoTime() - before).isEqualTo(7_000_000);
  }

  @Test
  void aTaskRunsOnceItsDelayHasPassedAndNotBefore() {
    clock.schedule(Duration.ofMillis(10), () -> ran.add("task"));
    clock.advance(Duration.ofMillis(9));
    assertThat(ran).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("task");
  }

  @Test
  void dueTasksRunInOrderOfDueTimeAndSeeTheirOwnTime() {
    List<Long> seenAt = new ArrayList<>();
    clock.schedule(Duration.ofMillis(30), () -> seenAt.add(clock.nanoTime()));
    clock.schedule(Duration.ofMillis(10), () -> seenAt.add(clock.nanoTime()));
    clock.advance(Duration.ofSeconds(1));
    assertThat(seenAt).containsExactly(10_000_000L, 30_000_000L);
  }

  @Test
  void aTaskScheduledByATaskRunsInTheSameAdvanceIfItFallsDue() {
    clock.schedule(
        Duration.ofMillis(10),
        () -> clock.schedule(Duration.ofMillis(10), () -> ran.add("second")));
    clock.advance(Duration.ofMillis(20));
    assertThat(ran).containsExactly("second");
  }

  @Test
  void aCancelledTaskNeverRuns() {
    Cancellable handle = clock.schedule(Duration.ofMillis(10), () -> ran.add("task"));
    handle.cancel();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).isEmpty();
    assertThat(clock.pendingTimers()).isEmpty();
  }

  @Test
  void pendingTimersTellWhenTasksFallDue() {
    clock.schedule(Duration.ofMillis(30), () -> {});
    clock.schedule(Duration.ofMillis(10), () -> {});
    clock.advance(Duration.ofMillis(5));
    assertThat(clock.pendingTimers()).containsExactly(Duration.ofMillis(5), Duration.ofMillis(25));
  }

  @Test
  void timeNeverMovesBackwards() {
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
