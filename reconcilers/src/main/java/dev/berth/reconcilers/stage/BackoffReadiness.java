package dev.berth.reconcilers.stage;

import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.ReadinessCheck;
import dev.berth.core.time.Clock;
import java.time.Duration;

/**
 * Checks a stage again after a failure only once a backoff has passed (doubling from {@code
 * initial} to {@code max}), answering the last failure meanwhile: a stage that stays down is
 * retried ever more calmly, and its probes never flood a struggling service. Nothing sleeps; the
 * gate simply asks again later.
 */
final class BackoffReadiness implements ReadinessCheck {

  private final ReadinessCheck check;
  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  // Guarded by this.
  private Readiness lastFailure;
  private long nextCheckNanos;
  private Duration delay;

  BackoffReadiness(ReadinessCheck check, Clock clock, Duration initial, Duration max) {
    this.check = check;
    this.clock = clock;
    this.initial = initial;
    this.max = max;
    this.delay = initial;
  }

  @Override
  public synchronized Readiness check() throws Exception {
    long now = clock.nanoTime();
    if (lastFailure != null && now - nextCheckNanos < 0) {
      return lastFailure;
    }
    Readiness readiness;
    try {
      readiness = check.check();
    } catch (Exception e) {
      readiness = Readiness.notReady(String.valueOf(e.getMessage()));
    }
    if (readiness.ready()) {
      lastFailure = null;
      delay = initial;
    } else {
      lastFailure =
          Readiness.notReady(
              readiness.reason() + " (checking again in " + delay.toMillis() + " ms)");
      nextCheckNanos = now + delay.toNanos();
      Duration doubled = delay.multipliedBy(2);
      delay = doubled.compareTo(max) > 0 ? max : doubled;
    }
    return readiness;
  }
}
