package dev.berth.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The metric names are client-go's, so existing dashboards and alerts work unchanged. */
class WorkQueueMetricsTest {

  private final ManualClock clock = new ManualClock();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final WorkQueue<String> queue =
      WorkQueue.<String>builder("services").clock(clock).meterRegistry(registry).build();

  @Test
  void depthIsTheNumberOfWaitingKeys() {
    queue.add("a");
    queue.add("b");

    assertThat(registry.scrape()).contains("workqueue_depth{name=\"services\"} 2");
  }

  @Test
  void addsCountKeysThatStartedWaitingButNotDuplicates() {
    queue.add("a");
    queue.add("a");
    queue.add("b");

    assertThat(registry.scrape()).contains("workqueue_adds_total{name=\"services\"} 2");
  }

  @Test
  void queueDurationIsTheTimeFromAddToGet() {
    queue.add("a");
    clock.advance(Duration.ofMillis(3));
    queue.poll();

    String scrape = registry.scrape();
    assertThat(scrape).contains("workqueue_queue_duration_seconds_count{name=\"services\"} 1");
    assertThat(scrape).contains("workqueue_queue_duration_seconds_sum{name=\"services\"} 0.003");
  }

  @Test
  void workDurationIsTheTimeFromGetToDone() {
    queue.add("a");
    queue.poll();
    clock.advance(Duration.ofMillis(40));
    queue.done("a");

    String scrape = registry.scrape();
    assertThat(scrape).contains("workqueue_work_duration_seconds_count{name=\"services\"} 1");
    assertThat(scrape).contains("workqueue_work_duration_seconds_sum{name=\"services\"} 0.04");
    assertThat(scrape)
        .contains("workqueue_work_duration_seconds_bucket{name=\"services\",le=\"0.1\"} 1");
  }

  @Test
  void retriesCountRateLimitedAdds() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");

    assertThat(registry.scrape()).contains("workqueue_retries_total{name=\"services\"} 2");
  }
}
