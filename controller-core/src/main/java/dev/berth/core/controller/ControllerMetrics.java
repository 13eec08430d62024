package dev.berth.core.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code controller_reconcile_total{controller,result}} and {@code
 * controller_reconcile_time_seconds{controller}}, named as controller-runtime names them.
 */
final class ControllerMetrics {

  private static final Duration[] RECONCILE_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final Map<ReconcileOutcome, Counter> totals;
  private final Timer time;

  private ControllerMetrics(Map<ReconcileOutcome, Counter> totals, Timer time) {
    this.totals = totals;
    this.time = time;
  }

  static ControllerMetrics none() {
    return new ControllerMetrics(Map.of(), null);
  }

  static ControllerMetrics micrometer(MeterRegistry registry, String controller) {
    Map<ReconcileOutcome, Counter> totals = new EnumMap<>(ReconcileOutcome.class);
    for (ReconcileOutcome outcome : ReconcileOutcome.values()) {
      totals.put(
          outcome,
          Counter.builder("controller.reconcile")
              .description("Reconciles by result")
              .tag("controller", controller)
              .tag("result", outcome.tag())
              .register(registry));
    }
    Timer time =
        Timer.builder("controller.reconcile.time")
            .description("How long one reconcile takes")
            .tag("controller", controller)
            .serviceLevelObjectives(RECONCILE_BUCKETS)
            .register(registry);
    return new ControllerMetrics(totals, time);
  }

  void reconciled(ReconcileOutcome outcome, long nanos) {
    Counter counter = totals.get(outcome);
    if (counter != null) {
      counter.increment();
      time.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
