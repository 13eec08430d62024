package dev.berth.core.controller;

import static dev.berth.core.testing.Eventually.eventually;
import static dev.berth.core.testing.ScriptedReconciler.fail;
import static dev.berth.core.testing.ScriptedReconciler.requeueAfter;
import static dev.berth.core.testing.ScriptedReconciler.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.testing.ScriptedReconciler;
import dev.berth.core.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconcile metrics carry controller-runtime's names, and the queue's carry client-go's. */
class ControllerMetricsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScriptedReconciler reconciler =
      new ScriptedReconciler()
          .script("fails", fail())
          .script("terminal", terminal())
          .script("waits", requeueAfter(Duration.ofMinutes(1)));
  private final Controller<String> controller =
      Controller.builder("services", reconciler)
          .clock(new ManualClock())
          .meterRegistry(registry)
          .build();

  @AfterEach
  void stop() {
    controller.stop(Duration.ofSeconds(10));
  }

  @Test
  void reconcilesAreCountedByResultAndTimed() {
    controller.start();
    for (String key : new String[] {"fine", "fails", "terminal", "waits"}) {
      controller.enqueue(key);
    }

    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains(
                        "controller_reconcile_total{controller=\"services\",result=\"success\"} 1")
                    .contains(
                        "controller_reconcile_total{controller=\"services\",result=\"error\"} 1")
                    .contains(
                        "controller_reconcile_total{controller=\"services\",result=\"terminal_error\"} 1")
                    .contains(
                        "controller_reconcile_total{controller=\"services\",result=\"requeue_after\"} 1")
                    .contains(
                        "controller_reconcile_time_seconds_count{controller=\"services\"} 4"));
  }

  @Test
  void theControllersQueueReportsUnderTheControllersName() {
    controller.start();
    controller.enqueue("fails");

    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains("workqueue_adds_total{name=\"services\"} 1")
                    .contains("workqueue_retries_total{name=\"services\"} 1")
                    .contains("workqueue_depth{name=\"services\"}")
                    .contains("workqueue_queue_duration_seconds_count{name=\"services\"} 1")
                    .contains("workqueue_work_duration_seconds_count{name=\"services\"} 1"));
  }
}
