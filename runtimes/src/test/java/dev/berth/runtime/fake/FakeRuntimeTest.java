package dev.berth.runtime.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.fake.FakeRuntime.Operation;
import dev.berth.spec.identity.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FakeRuntimeTest {

  private static final String IMAGE = "registry.example/web:1.0.0";

  private final FakeRuntime runtime = new FakeRuntime();
  private final List<RuntimeEvent> events = new ArrayList<>();

  @BeforeEach
  void watch() {
    runtime.watch(events::add);
    runtime.addImage(IMAGE);
  }

  private static WorkloadSpec web(String name, int hostPort) {
    return WorkloadSpec.builder(name, WorkloadKind.CONTAINER)
        .image(IMAGE)
        .ports(new PortBinding("https", "127.0.0.1", hostPort, 8080))
        .label(Labels.SERVICE, name)
        .label(Labels.COMPONENT, "web")
        .build();
  }

  private List<RuntimeEvent.Type> eventTypes() {
    return events.stream().map(RuntimeEvent::type).toList();
  }

  @Nested
  class BehavingLikeARuntime {

    @Test
    void runCreatesAndStartsAndSaysSo() {
      Workload workload = runtime.run(web("shop", 20001));

      assertThat(workload.state()).isEqualTo(WorkloadState.RUNNING);
      assertThat(workload.managed()).isTrue();
      assertThat(workload.service()).isEqualTo("shop");
      assertThat(eventTypes())
          .containsExactly(RuntimeEvent.Type.CREATED, RuntimeEvent.Type.STARTED);
    }

    @Test
    void anAbsentImageCannotRun() {
      runtime.removeImage(IMAGE);

      assertThatThrownBy(() -> runtime.run(web("shop", 20001)))
          .isInstanceOfSatisfying(
              RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING));
    }

    @Test
    void aHostPortHeldByARunningWorkloadIsTaken() {
      runtime.run(web("shop", 20001));

      assertThatThrownBy(() -> runtime.run(web("blog", 20001)))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.PORT_TAKEN);
                assertThat(e.retryable()).isTrue();
                assertThat(e.runtimeMessage()).contains("address already in use");
              });
    }

    @Test
    void aNameInUseByBerthsOwnIsRefusedEvenWhileItsWorkloadIsStoppedAndRetryable() {
      Workload shop = runtime.run(web("shop", 20001));
      runtime.stop(shop.id(), Duration.ofSeconds(1));

      assertThatThrownBy(() -> runtime.run(web("shop", 20002)))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.FAILED);
                assertThat(e.getMessage()).contains("the name shop is in use");
              });
    }

    @Test
    void aNameInUseByAWorkloadWithoutBerthsLabelsIsNameInUse() {
      Workload stranger =
          runtime.run(WorkloadSpec.builder("shop", WorkloadKind.CONTAINER).image(IMAGE).build());

      assertThatThrownBy(() -> runtime.run(web("shop", 20002)))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.NAME_IN_USE);
                assertThat(e.getMessage()).contains("in use by " + stranger.id());
              });
    }

    @Test
    void aRemovedOrForgottenWorkloadsNameIsFreeAgain() {
      runtime.remove(runtime.run(web("shop", 20001)).id());
      Workload again = runtime.run(web("shop", 20001));
      runtime.loseState();

      assertThat(again.name()).isEqualTo("shop");
      assertThat(runtime.run(web("shop", 20001)).state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void aHostPortIsFreedWhenItsWorkloadStopsDiesOrIsRemoved() {
      Workload first = runtime.run(web("first", 20001));
      runtime.stop(first.id(), Duration.ofSeconds(1));
      Workload second = runtime.run(web("second", 20001));
      runtime.killOutOfBand(second.id(), 1);
      Workload third = runtime.run(web("third", 20001));
      runtime.remove(third.id());

      Workload fourth = runtime.run(web("fourth", 20001));

      assertThat(fourth.state()).isEqualTo(WorkloadState.RUNNING);
      assertThatThrownBy(() -> runtime.start(first.id()))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.PORT_TAKEN);
                assertThat(e.getMessage()).contains("host port 20001 is taken by fourth");
              });
    }

    @Test
    void aStoppedWorkloadStartsAgainOnItsOwnPort() {
      Workload shop = runtime.run(web("shop", 20001));
      runtime.stop(shop.id(), Duration.ofSeconds(1));

      runtime.start(shop.id());

      assertThat(runtime.inspect(shop.id()).orElseThrow().state()).isEqualTo(WorkloadState.RUNNING);
      assertThatThrownBy(() -> runtime.run(web("blog", 20001))).isInstanceOf(RuntimeFailure.class);
    }

    @Test
    void losingStateFreesEveryHostPort() {
      runtime.run(web("shop", 20001));

      runtime.loseState();

      assertThat(runtime.run(web("blog", 20001)).state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void stoppingAStoppedWorkloadAndStartingARunningOneDoNothing() {
      Workload workload = runtime.run(web("shop", 20001));
      runtime.start(workload.id());
      runtime.stop(workload.id(), Duration.ofSeconds(1));
      runtime.stop(workload.id(), Duration.ofSeconds(1));

      assertThat(eventTypes())
          .containsExactly(
              RuntimeEvent.Type.CREATED, RuntimeEvent.Type.STARTED, RuntimeEvent.Type.DIED);
      assertThat(runtime.inspect(workload.id()).orElseThrow().state())
          .isEqualTo(WorkloadState.EXITED);
    }

    @Test
    void removeStopsARunningWorkloadFirst() {
      Workload workload = runtime.run(web("shop", 20001));

      runtime.remove(workload.id());

      assertThat(runtime.inspect(workload.id())).isEmpty();
      assertThat(eventTypes()).endsWith(RuntimeEvent.Type.DIED, RuntimeEvent.Type.REMOVED);
    }

    @Test
    void anUnknownIdIsNotFound() {
      assertThatThrownBy(() -> runtime.start("fake-999999"))
          .isInstanceOfSatisfying(
              RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void unlabelledWorkloadsAreListedButNotManaged() {
      runtime.run(
          WorkloadSpec.builder("someone-elses", WorkloadKind.CONTAINER).image(IMAGE).build());

      assertThat(runtime.list()).singleElement().satisfies(w -> assertThat(w.managed()).isFalse());
    }

    @Test
    void logsReturnTheLastLines() {
      Workload workload = runtime.run(web("shop", 20001));
      for (int i = 1; i <= 5; i++) {
        runtime.log(workload.id(), "line " + i);
      }

      assertThat(runtime.logs(workload.id(), 2, false).toList())
          .containsExactly("line 4", "line 5");
    }
  }

  @Nested
  class Images {

    @Test
    void ifAbsentPullsOnlyWhatIsMissing() {
      runtime.publish("registry.example/db:2.0.0");

      runtime.ensureImage(IMAGE, PullPolicy.IF_ABSENT);
      runtime.ensureImage("registry.example/db:2.0.0", PullPolicy.IF_ABSENT);

      assertThat(runtime.calls(Operation.PULL)).isEqualTo(1);
      assertThat(runtime.hasImage("registry.example/db:2.0.0")).isTrue();
    }

    @Test
    void aPresentImageNeedsNoRegistry() {
      runtime.registryReachable(false);

      runtime.ensureImage(IMAGE, PullPolicy.IF_ABSENT);

      assertThat(runtime.calls(Operation.PULL)).isZero();
    }

    @Test
    void alwaysPullsEvenAPresentImageAndFailsWhenTheRegistryIsDown() {
      runtime.registryReachable(false);

      assertThatThrownBy(() -> runtime.ensureImage(IMAGE, PullPolicy.ALWAYS))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING);
                assertThat(e.runtimeMessage()).isEqualTo("registry unreachable");
              });
    }

    @Test
    void neverRefusesAnAbsentImage() {
      assertThatThrownBy(
              () -> runtime.ensureImage("registry.example/other:1.0.0", PullPolicy.NEVER))
          .isInstanceOfSatisfying(
              RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING));
    }
  }

  @Nested
  class Faults {

    @Test
    void aFailureRateFailsThatShareOfCallsDeterministically() {
      FakeRuntime a =
          new FakeRuntime("a", Set.of(WorkloadKind.CONTAINER), 7, java.time.Clock.systemUTC());
      FakeRuntime b =
          new FakeRuntime("b", Set.of(WorkloadKind.CONTAINER), 7, java.time.Clock.systemUTC());
      a.failureRate(Operation.LIST, 0.3);
      b.failureRate(Operation.LIST, 0.3);

      List<Boolean> first = outcomesOfListing(a, 1000);
      List<Boolean> second = outcomesOfListing(b, 1000);

      assertThat(first).isEqualTo(second);
      assertThat(first.stream().filter(failed -> failed).count()).isBetween(250L, 350L);
    }

    @Test
    void anUnavailableDaemonFailsEveryCallRetryably() {
      runtime.unavailable(true);

      assertThatThrownBy(runtime::list)
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
              });
    }

    @Test
    void losingStateForgetsEveryWorkloadWithoutAnEvent() {
      runtime.run(web("shop", 20001));
      runtime.run(web("blog", 20002));
      events.clear();

      runtime.loseState();

      assertThat(runtime.list()).isEmpty();
      assertThat(events).isEmpty();
    }

    @Test
    void anOutOfBandKillIsSeenAsDiedWithItsExitCode() {
      Workload workload = runtime.run(web("shop", 20001));

      runtime.killOutOfBand(workload.id(), 143);

      assertThat(events.get(events.size() - 1))
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(RuntimeEvent.Type.DIED);
                assertThat(e.exitCode()).isEqualTo(143);
                assertThat(e.labels()).containsEntry(Labels.SERVICE, "shop");
              });
      assertThat(runtime.inspect(workload.id()).orElseThrow().exitCode()).isEqualTo(143);
    }

    @Test
    void anOomKillIsSeenAsOomThenDied() {
      Workload workload = runtime.run(web("shop", 20001));
      events.clear();

      runtime.oomKill(workload.id());

      assertThat(eventTypes()).containsExactly(RuntimeEvent.Type.OOM, RuntimeEvent.Type.DIED);
    }

    @Test
    void anOomKilledWorkloadSaysSoUntilItStartsAgain() {
      Workload workload = runtime.run(web("shop", 20001));

      runtime.oomKill(workload.id());

      assertThat(runtime.inspect(workload.id()).orElseThrow().oomKilled()).isTrue();
      runtime.start(workload.id());
      assertThat(runtime.inspect(workload.id()).orElseThrow().oomKilled()).isFalse();
    }

    @Test
    void anOutOfBandRemovalIsSeenAsDiedThenRemoved() {
      Workload workload = runtime.run(web("shop", 20001));
      events.clear();

      runtime.removeOutOfBand(workload.id());

      assertThat(eventTypes()).containsExactly(RuntimeEvent.Type.DIED, RuntimeEvent.Type.REMOVED);
      assertThat(runtime.list()).isEmpty();
    }

    @Test
    void latencyIsAddedToTheOperation() {
      runtime.latency(Operation.LIST, Duration.ofMillis(30));

      long start = System.nanoTime();
      runtime.list();

      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }

    private List<Boolean> outcomesOfListing(FakeRuntime fake, int times) {
      List<Boolean> failed = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        try {
          fake.list();
          failed.add(false);
        } catch (RuntimeFailure e) {
          failed.add(true);
        }
      }
      return failed;
    }
  }
}
