package dev.berth.examples.engine;

import dev.berth.core.controller.ReconcileOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own metrics at the end of a run, read back from its Micrometer registry. Printed
 * under the names Prometheus exports them with ({@code controller.runtime.reconcile} becomes {@code
 * controller_runtime_reconcile_total}).
 *
 * @param reconciles {@code controller_runtime_reconcile_total} by outcome: its {@code error} label
 *     split into retried errors and terminal ones ({@code
 *     controller_runtime_terminal_reconcile_errors_total})
 * @param adds {@code workqueue_adds_total}
 * @param retries {@code workqueue_retries_total}
 * @param queueWaitMean mean of {@code workqueue_queue_duration_seconds}
 * @param queueWaitMax max of {@code workqueue_queue_duration_seconds}
 * @param reconcileMean mean of {@code controller_runtime_reconcile_time_seconds}
 * @param reconcileMax max of {@code controller_runtime_reconcile_time_seconds}
 */
record EngineNumbers(
    Map<ReconcileOutcome, Long> reconciles,
    long adds,
    long retries,
    Duration queueWaitMean,
    Duration queueWaitMax,
    Duration reconcileMean,
    Duration reconcileMax) {

  static EngineNumbers read(MeterRegistry registry, String controller) {
    Map<ReconcileOutcome, Long> reconciles = new EnumMap<>(ReconcileOutcome.class);
    long terminal =
        count(
            registry
                .find("controller.runtime.terminal.reconcile.errors")
                .tag("controller", controller)
                .counter());
    for (ReconcileOutcome outcome : ReconcileOutcome.values()) {
      long labelled =
          count(
              registry
                  .find("controller.runtime.reconcile")
                  .tags("controller", controller, "result", outcome.tag())
                  .counter());
      reconciles.put(
          outcome,
          switch (outcome) {
            case TERMINAL_ERROR -> terminal;
            case ERROR -> labelled - terminal;
            default -> labelled;
          });
    }
    Timer wait = registry.find("workqueue.queue.duration").tag("name", controller).timer();
    Timer reconcile =
        registry.find("controller.runtime.reconcile.time").tag("controller", controller).timer();
    return new EngineNumbers(
        Map.copyOf(reconciles),
        count(registry.find("workqueue.adds").tag("name", controller).counter()),
        count(registry.find("workqueue.retries").tag("name", controller).counter()),
        mean(wait),
        max(wait),
        mean(reconcile),
        max(reconcile));
  }

  long reconciles(ReconcileOutcome outcome) {
    return reconciles.getOrDefault(outcome, 0L);
  }

  private static long count(Counter counter) {
    return counter == null ? 0 : (long) counter.count();
  }

  private static Duration mean(Timer timer) {
    return timer == null
        ? Duration.ZERO
        : Duration.ofNanos((long) timer.mean(TimeUnit.NANOSECONDS));
  }

  private static Duration max(Timer timer) {
    return timer == null ? Duration.ZERO : Duration.ofNanos((long) timer.max(TimeUnit.NANOSECONDS));
  }
}
