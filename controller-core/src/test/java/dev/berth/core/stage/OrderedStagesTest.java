package dev.berth.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OrderedStagesTest {

  private final ManualClock clock = new ManualClock();
  private final AtomicBoolean storageUp = new AtomicBoolean();
  private final AtomicBoolean platformUp = new AtomicBoolean();
  private final List<String> changes = new ArrayList<>();

  private OrderedStages<String> stages(Duration storageTimeout, boolean storageRequired) {
    return new OrderedStages<>(
        List.of(
            new Stage<>(
                "storage",
                Set.of("db", "cache")::contains,
                () -> storageUp.get() ? Readiness.READY : Readiness.notReady("db not answering"),
                storageTimeout,
                storageRequired),
            new Stage<>(
                "platform",
                Set.of("registry")::contains,
                () -> platformUp.get() ? Readiness.READY : Readiness.notReady("registry down"),
                Duration.ofMinutes(5),
                true),
            new Stage<>("apps", Set.of("web")::contains, () -> Readiness.READY, null, true)),
        clock,
        (stage, from, to, reason) -> changes.add(stage + ":" + from + "->" + to));
  }

  private OrderedStages<String> stages() {
    return stages(Duration.ofMinutes(5), true);
  }

  @Test
  void keysOfTheFirstStageAreAdmittedAtOnce() {
    assertThat(stages().admit("db").admitted()).isTrue();
  }

  @Test
  void keysInNoStageAreAlwaysAdmitted() {
    assertThat(stages().admit("unlisted").admitted()).isTrue();
  }

  @Test
  void keysOfALaterStageWaitForTheEarlierStageToBeReady() {
    OrderedStages<String> stages = stages();

    Admission admission = stages.admit("registry");

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.waitingFor()).isEqualTo("storage");
    assertThat(admission.reason()).isEqualTo("db not answering");
  }

  @Test
  void keysOfALaterStageAreAdmittedOnceTheEarlierStageIsReady() {
    OrderedStages<String> stages = stages();
    stages.admit("registry");

    storageUp.set(true);

    assertThat(stages.admit("registry").admitted()).isTrue();
  }

  @Test
  void everyEarlierStageMustBeReadyNotOnlyTheOneBefore() {
    OrderedStages<String> stages = stages();
    storageUp.set(true);

    Admission admission = stages.admit("web");

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.waitingFor()).isEqualTo("platform");
  }

  @Test
  void passingIsFinalEvenIfTheStageLaterStopsBeingReady() {
    OrderedStages<String> stages = stages();
    storageUp.set(true);
    stages.admit("registry");

    storageUp.set(false);

    assertThat(stages.admit("registry").admitted()).isTrue();
  }

  @Test
  void anOptionalStageLetsTheNextOneInAfterItsTimeout() {
    OrderedStages<String> stages = stages(Duration.ofSeconds(30), false);
    stages.admit("db");

    clock.advance(Duration.ofSeconds(29));
    assertThat(stages.admit("registry").admitted()).isFalse();
    clock.advance(Duration.ofSeconds(1));

    assertThat(stages.admit("registry").admitted()).isTrue();
    assertThat(stages.progress().get(0).phase()).isEqualTo(StagePhase.SKIPPED);
    assertThat(stages.progress().get(0).reason())
        .isEqualTo("not ready after PT30S: db not answering");
  }

  @Test
  void aRequiredStageThatTimesOutIsFailedAndKeepsLaterStagesWaiting() {
    OrderedStages<String> stages = stages(Duration.ofSeconds(30), true);
    stages.admit("db");

    clock.advance(Duration.ofHours(1));

    assertThat(stages.admit("registry").admitted()).isFalse();
    assertThat(stages.progress().get(0).phase()).isEqualTo(StagePhase.FAILED);
  }

  @Test
  void aFailedRequiredStageStillPassesOnceItBecomesReady() {
    OrderedStages<String> stages = stages(Duration.ofSeconds(30), true);
    stages.admit("db");
    clock.advance(Duration.ofMinutes(1));
    stages.admit("registry");

    storageUp.set(true);

    assertThat(stages.admit("registry").admitted()).isTrue();
    assertThat(stages.progress().get(0).phase()).isEqualTo(StagePhase.PASSED);
  }

  @Test
  void aStagesTimeoutCountsFromWhenTheStageBeforeItPassed() {
    OrderedStages<String> stages = stages();
    clock.advance(Duration.ofHours(1));
    storageUp.set(true);
    stages.admit("registry");

    clock.advance(Duration.ofMinutes(4));

    assertThat(stages.progress().get(1).phase()).isEqualTo(StagePhase.STARTING);
  }

  @Test
  void aReadinessCheckThatThrowsCountsAsNotReady() {
    OrderedStages<String> stages =
        new OrderedStages<>(
            List.of(
                new Stage<>(
                    "first",
                    "a"::equals,
                    () -> {
                      throw new IllegalStateException("connection refused");
                    },
                    null,
                    true),
                new Stage<>("second", "b"::equals, () -> Readiness.READY, null, true)),
            clock);

    Admission admission = stages.admit("b");

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.reason()).contains("connection refused");
  }

  @Test
  void progressShowsEveryStageAndWhatItWaitsFor() {
    OrderedStages<String> stages = stages();
    storageUp.set(true);

    assertThat(stages.progress())
        .containsExactly(
            new StageStatus("storage", StagePhase.PASSED, "ready"),
            new StageStatus("platform", StagePhase.STARTING, "registry down"),
            new StageStatus("apps", StagePhase.PENDING, "waits for stage platform"));
    assertThat(stages.complete()).isFalse();

    platformUp.set(true);

    assertThat(stages.complete()).isTrue();
  }

  @Test
  void theListenerHearsEveryChangeOfPhase() {
    OrderedStages<String> stages = stages(Duration.ofSeconds(30), false);
    stages.admit("db");
    clock.advance(Duration.ofSeconds(30));
    platformUp.set(true);

    stages.admit("web");

    assertThat(changes)
        .containsExactly(
            "storage:PENDING->STARTING",
            "storage:STARTING->SKIPPED",
            "platform:PENDING->STARTING",
            "platform:STARTING->PASSED",
            "apps:PENDING->STARTING");
  }

  @Test
  void stageNamesMustBeUnique() {
    assertThatThrownBy(
            () ->
                new OrderedStages<String>(
                    List.of(
                        new Stage<>("same", "a"::equals, () -> Readiness.READY, null, true),
                        new Stage<>("same", "b"::equals, () -> Readiness.READY, null, true)),
                    clock))
        .hasMessageContaining("unique");
  }
}
