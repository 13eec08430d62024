package dev.berth.core.controller;

import static dev.berth.core.testing.Eventually.eventually;
import static dev.berth.core.testing.ScriptedReconciler.backingOff;
import static dev.berth.core.testing.ScriptedReconciler.blockUntil;
import static dev.berth.core.testing.ScriptedReconciler.fail;
import static dev.berth.core.testing.ScriptedReconciler.requeueAfter;
import static dev.berth.core.testing.ScriptedReconciler.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.testing.ScriptedReconciler;
import dev.berth.core.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconcile metrics carry controller-runtime's names, and the queue's carry client-go's. */
class ControllerMetricsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ScriptedReconciler reconciler =
      new ScriptedReconciler()
          .script("fails", fail())
          .script("terminal", terminal())
          .script("waits", requeueAfter(Duration.ofMinutes(1)))
          .script("backing-off", backingOff(Duration.ofMinutes(1)))
          .script("slow", blockUntil(release));
  private final Controller<String> controller =
      Controller.builder("services", reconciler)
          .workers(3)
          .clock(new ManualClock())
          .meterRegistry(registry)
          .build();

  @AfterEach
  void stop() {
    release.countDown();
    controller.stop(Duration.ofSeconds(10));
  }

  @Test
  void reconcilesAreCountedByResultAsControllerRuntimeSpellsItAndTimed() {
    controller.start();
    for (String key : new String[] {"fine", "fails", "waits", "backing-off"}) {
      controller.enqueue(key);
    }

    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains(
                        "controller_runtime_reconcile_total{controller=\"services\",result=\"success\"} 1")
                    .contains(
                        "controller_runtime_reconcile_total{controller=\"services\",result=\"error\"} 1")
                    .contains(
                        "controller_runtime_reconcile_total{controller=\"services\",result=\"requeue_after\"} 1")
                    .contains(
                        "controller_runtime_reconcile_total{controller=\"services\",result=\"requeue\"} 1")
                    .contains(
                        "controller_runtime_reconcile_errors_total{controller=\"services\"} 1")
                    .contains(
                        "controller_runtime_reconcile_time_seconds_count{controller=\"services\"} 4")
                    .contains(
                        "controller_runtime_reconcile_time_seconds_bucket{controller=\"services\",le=\"60.0\"} 4"));
  }

  @Test
  void aTerminalErrorCountsAsAnErrorAndAsTerminal() {
    controller.start();
    controller.enqueue("terminal");

    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains(
                        "controller_runtime_reconcile_total{controller=\"services\",result=\"error\"} 1")
                    .contains(
                        "controller_runtime_reconcile_errors_total{controller=\"services\"} 1")
                    .contains(
                        "controller_runtime_terminal_reconcile_errors_total{controller=\"services\"} 1"));
    assertThat(registry.scrape()).doesNotContain("terminal_error");
  }

  @Test
  void activeWorkersCountTheWorkersHoldingAKeyOutOfTheMaximum() {
    controller.start();
    controller.enqueue("slow");

    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains("controller_runtime_active_workers{controller=\"services\"} 1")
                    .contains(
                        "controller_runtime_max_concurrent_reconciles{controller=\"services\"} 3"));

    release.countDown();
    eventually()
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains("controller_runtime_active_workers{controller=\"services\"} 0"));
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
                    .contains("workqueue_work_duration_seconds_count{name=\"services\"} 1")
                    .contains("workqueue_unfinished_work_seconds{name=\"services\"}")
                    .contains("workqueue_longest_running_processor_seconds{name=\"services\"}"));
  }
}
