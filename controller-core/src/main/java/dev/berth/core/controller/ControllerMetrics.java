package dev.berth.core.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controller's meters, with controller-runtime's names and labels, so that dashboards written for
 * Kubernetes controllers read Berth's loops too: {@code
 * controller_runtime_reconcile_total{controller, result}}, {@code
 * controller_runtime_reconcile_errors_total{controller}}, {@code
 * controller_runtime_terminal_reconcile_errors_total{controller}}, {@code
 * controller_runtime_reconcile_time_seconds{controller}} (a histogram), {@code
 * controller_runtime_active_workers{controller}} and {@code
 * controller_runtime_max_concurrent_reconciles{controller}}. A key the gate holds is no reconcile:
 * it is neither counted nor timed, but its worker is active while it is looked at.
 */
final class ControllerMetrics {

  /** controller-runtime's own reconcile-time buckets, trimmed: 5 ms to 60 s. */
  private static final Duration[] RECONCILE_BUCKETS = {
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
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final Map<ReconcileOutcome, Counter> totals;
  private final Counter errors;
  private final Counter terminalErrors;
  private final Timer time;
  private final AtomicInteger active;

  private ControllerMetrics(
      Map<ReconcileOutcome, Counter> totals,
      Counter errors,
      Counter terminalErrors,
      Timer time,
      AtomicInteger active) {
    this.totals = totals;
    this.errors = errors;
    this.terminalErrors = terminalErrors;
    this.time = time;
    this.active = active;
  }

  static ControllerMetrics none() {
    return new ControllerMetrics(Map.of(), null, null, null, new AtomicInteger());
  }

  static ControllerMetrics micrometer(MeterRegistry registry, String controller, int workers) {
    // TERMINAL_ERROR shares ERROR's label; one counter per label value, registered once.
    Map<String, Counter> byLabel = new HashMap<>();
    Map<ReconcileOutcome, Counter> totals = new EnumMap<>(ReconcileOutcome.class);
    for (ReconcileOutcome outcome : ReconcileOutcome.values()) {
      totals.put(
          outcome,
          byLabel.computeIfAbsent(
              outcome.tag(),
              result ->
                  Counter.builder("controller.runtime.reconcile")
                      .description("Total number of reconciliations per controller")
                      .tag("controller", controller)
                      .tag("result", result)
                      .register(registry)));
    }
    Counter errors =
        Counter.builder("controller.runtime.reconcile.errors")
            .description("Total number of reconciliation errors per controller")
            .tag("controller", controller)
            .register(registry);
    Counter terminalErrors =
        Counter.builder("controller.runtime.terminal.reconcile.errors")
            .description("Total number of terminal reconciliation errors per controller")
            .tag("controller", controller)
            .register(registry);
    Timer time =
        Timer.builder("controller.runtime.reconcile.time")
            .description("Length of time per reconciliation per controller")
            .tag("controller", controller)
            .serviceLevelObjectives(RECONCILE_BUCKETS)
            .register(registry);
    AtomicInteger active = new AtomicInteger();
    Gauge.builder("controller.runtime.active.workers", active, AtomicInteger::get)
        .description("Number of currently used workers per controller")
        .tag("controller", controller)
        .register(registry);
    Gauge.builder("controller.runtime.max.concurrent.reconciles", () -> workers)
        .description("Maximum number of concurrent reconciles per controller")
        .tag("controller", controller)
        .register(registry);
    return new ControllerMetrics(totals, errors, terminalErrors, time, active);
  }

  /** A worker took a key. */
  void busy() {
    active.incrementAndGet();
  }

  /** A worker is done with its key. */
  void idle() {
    active.decrementAndGet();
  }

  void reconciled(ReconcileOutcome outcome, long nanos) {
    Counter counter = totals.get(outcome);
    if (counter == null) {
      return;
    }
    counter.increment();
    if (outcome.failed()) {
      errors.increment();
    }
    if (outcome == ReconcileOutcome.TERMINAL_ERROR) {
      terminalErrors.increment();
    }
    time.record(nanos, TimeUnit.NANOSECONDS);
  }
}
