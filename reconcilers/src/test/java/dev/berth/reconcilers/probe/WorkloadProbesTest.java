package dev.berth.reconcilers.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualClock;
import dev.berth.spec.model.ProbeType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probe schedule, on a manual clock: probes run on the given executor (here the caller's thread
 * or a queue), never planned work; no real probe, no sleep.
 */
class WorkloadProbesTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final ProbeTarget WEB = new ProbeTarget(ProbeType.TCP, "127.0.0.1", 8080, "");
  private static final Duration PERIOD = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock();
  private final java.time.Clock wall = new Wall(clock);
  private final ScriptedProber prober = new ScriptedProber();
  private final List<String> told = new ArrayList<>();
  private WorkloadProbes probes = new WorkloadProbes(prober, clock, wall, Runnable::run, told::add);

  @AfterEach
  void close() {
    probes.close();
  }

  private static WorkloadProbes.Target target(Duration initialDelay, Instant startedAt) {
    return new WorkloadProbes.Target(WEB, PERIOD, TIMEOUT, initialDelay, startedAt);
  }

  private Map<String, ProbeStatus> watchC1() {
    return probes.watch("shop", Map.of("c1", target(Duration.ZERO, T0)));
  }

  @Test
  void aWorkloadIsFirstProbedOnceItsInitialDelayFromItsStartHasPassed() {
    probes.watch("shop", Map.of("c1", target(Duration.ofSeconds(5), T0)));

    clock.advance(Duration.ofSeconds(4));
    assertThat(probes.status("c1")).isNull();
    assertThat(prober.calls).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(probes.status("c1")).isEqualTo(ProbeStatus.passed(T0.plusSeconds(5)));
  }

  @Test
  void aWorkloadThatStartedLongAgoIsProbedAtOnce() {
    clock.advance(Duration.ofMinutes(1));
    probes.watch("shop", Map.of("c1", target(Duration.ofSeconds(5), T0)));
    clock.advance(Duration.ZERO);
    assertThat(prober.calls).isEqualTo(1);
  }

  @Test
  void whatTheProbesFoundIsWhatWatchReturns() {
    assertThat(watchC1()).isEmpty();
    clock.advance(Duration.ZERO);
    assertThat(watchC1()).containsExactly(Map.entry("c1", ProbeStatus.passed(T0)));
  }

  @Test
  void aWorkloadThatPassedIsProbedEveryPeriod() {
    watchC1();
    clock.advance(Duration.ZERO);
    clock.advance(PERIOD.minusMillis(1));
    assertThat(prober.calls).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(prober.calls).isEqualTo(2);
  }

  @Test
  void untilItFirstPassesAWorkloadIsProbedEverySecondButFailsOnceAPeriod() {
    prober.failWith("connection refused");
    watchC1();
    clock.advance(Duration.ZERO);
    assertThat(probes.status("c1")).isEqualTo(ProbeStatus.failed(1, "connection refused", T0));

    clock.advance(Duration.ofSeconds(9));
    assertThat(prober.calls).isEqualTo(10);
    assertThat(probes.status("c1").consecutiveFailures()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(probes.status("c1").consecutiveFailures()).isEqualTo(2);
    clock.advance(PERIOD);
    assertThat(probes.status("c1"))
        .isEqualTo(ProbeStatus.failed(3, "connection refused", T0.plusSeconds(20)));
  }

  @Test
  void aPassEndsTheCountOfFailures() {
    prober.failWith("HTTP 503");
    watchC1();
    clock.advance(Duration.ofSeconds(10));
    assertThat(probes.status("c1").consecutiveFailures()).isEqualTo(2);

    prober.pass();
    clock.advance(Duration.ofSeconds(1));
    assertThat(probes.status("c1")).isEqualTo(ProbeStatus.passed(T0.plusSeconds(11)));
  }

  @Test
  void theServiceIsToldOfAFirstAnswerAFlipAndEachCountedFailureOnly() {
    watchC1();
    clock.advance(Duration.ZERO); // first answer: passed
    clock.advance(PERIOD); // passed again: nothing new
    assertThat(told).containsExactly("shop");

    prober.failWith("connection refused");
    clock.advance(PERIOD); // passed -> failing
    clock.advance(PERIOD); // a second failure counted
    assertThat(told).hasSize(3);

    prober.pass();
    clock.advance(PERIOD); // failing -> passed
    assertThat(told).hasSize(4).containsOnly("shop");
  }

  @Test
  void aWorkloadNoLongerNamedIsForgottenAndNoLongerProbed() {
    watchC1();
    clock.advance(Duration.ZERO);
    probes.watch("shop", Map.of());

    clock.advance(PERIOD.multipliedBy(3));
    assertThat(prober.calls).isEqualTo(1);
    assertThat(probes.status("c1")).isNull();
    assertThat(probes.watched()).isEmpty();
  }

  @Test
  void anotherServicesWatchLeavesAServicesWorkloadsAlone() {
    watchC1();
    probes.watch("blog", Map.of("b1", target(Duration.ZERO, T0)));
    assertThat(probes.watched()).isEqualTo(Map.of("c1", "shop", "b1", "blog"));
  }

  @Test
  void aNewRunOfAWorkloadIsProbedAfresh() {
    prober.failWith("connection refused");
    watchC1();
    clock.advance(PERIOD);
    assertThat(probes.status("c1").consecutiveFailures()).isEqualTo(2);

    Instant restarted = T0.plus(PERIOD);
    assertThat(probes.watch("shop", Map.of("c1", target(Duration.ofSeconds(30), restarted))))
        .isEmpty();
    clock.advance(Duration.ofSeconds(29));
    assertThat(probes.status("c1")).isNull();
  }

  @Test
  void probesRunOnTheExecutorNeverOnTheTimersThread() {
    List<Runnable> queued = new ArrayList<>();
    Executor queue = queued::add;
    probes.close();
    probes = new WorkloadProbes(prober, clock, wall, queue, told::add);
    watchC1();
    clock.advance(Duration.ZERO);
    assertThat(prober.calls).isZero();
    assertThat(queued).hasSize(1);

    queued.remove(0).run();
    assertThat(prober.calls).isEqualTo(1);
    assertThat(probes.status("c1").healthy()).isTrue();
  }

  @Test
  void aProbeOfAWorkloadForgottenMeanwhileIsDropped() {
    List<Runnable> queued = new ArrayList<>();
    probes.close();
    probes = new WorkloadProbes(prober, clock, wall, queued::add, told::add);
    watchC1();
    clock.advance(Duration.ZERO);
    probes.watch("shop", Map.of());

    queued.remove(0).run();
    assertThat(probes.status("c1")).isNull();
    assertThat(told).isEmpty();
  }

  @Test
  void aProberThatThrowsIsAFailureAndProbingGoesOn() {
    probes.close();
    probes =
        new WorkloadProbes(
            (target, timeout) -> {
              throw new IllegalStateException("broken");
            },
            clock,
            wall,
            Runnable::run,
            told::add);
    watchC1();
    clock.advance(PERIOD);
    assertThat(probes.status("c1"))
        .isEqualTo(ProbeStatus.failed(2, "IllegalStateException: broken", T0.plus(PERIOD)));
  }

  @Test
  void nothingIsProbedAfterClose() {
    watchC1();
    probes.close();
    clock.advance(PERIOD);
    assertThat(prober.calls).isZero();
  }

  /** Answers as told, counting the calls. */
  private static final class ScriptedProber implements Prober {
    ProbeResult next = ProbeResult.pass("connected");
    int calls;

    void failWith(String error) {
      next = ProbeResult.fail(error);
    }

    void pass() {
      next = ProbeResult.pass("connected");
    }

    @Override
    public ProbeResult probe(ProbeTarget target, Duration timeout) {
      calls++;
      return next;
    }
  }

  /** Wall time that moves with the manual clock, from {@link #T0}. */
  private static final class Wall extends java.time.Clock {
    private final ManualClock clock;

    Wall(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    public Instant instant() {
      return T0.plusNanos(clock.nanoTime());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
