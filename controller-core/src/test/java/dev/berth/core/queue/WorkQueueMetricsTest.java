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
  void depthCountsAKeyAddedAgainWhileItIsProcessed() {
    queue.add("a");
    queue.poll();
    queue.add("a");

    // client-go's gauge goes up at the add and down at the get; len() leaves the key out until
    // it is done, as client-go's Len() does.
    assertThat(registry.scrape()).contains("workqueue_depth{name=\"services\"} 1.0");
    assertThat(queue.len()).isZero();

    queue.done("a");
    queue.poll();
    assertThat(registry.scrape()).contains("workqueue_depth{name=\"services\"} 0.0");
  }

  @Test
  void unfinishedWorkIsTheTimeSpentSoFarOnEveryKeyInFlight() {
    queue.add("a");
    queue.add("b");
    queue.poll();
    clock.advance(Duration.ofSeconds(2));
    queue.poll();
    clock.advance(Duration.ofSeconds(1));

    String scrape = registry.scrape();
    assertThat(scrape).contains("workqueue_unfinished_work_seconds{name=\"services\"} 4.0");
    assertThat(scrape)
        .contains("workqueue_longest_running_processor_seconds{name=\"services\"} 3.0");

    queue.done("a");
    scrape = registry.scrape();
    assertThat(scrape).contains("workqueue_unfinished_work_seconds{name=\"services\"} 1.0");
    assertThat(scrape)
        .contains("workqueue_longest_running_processor_seconds{name=\"services\"} 1.0");

    queue.done("b");
    scrape = registry.scrape();
    assertThat(scrape).contains("workqueue_unfinished_work_seconds{name=\"services\"} 0.0");
    assertThat(scrape)
        .contains("workqueue_longest_running_processor_seconds{name=\"services\"} 0.0");
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

  @Test
  void retriesAreNotCountedOnceTheQueueIsShuttingDown() {
    queue.addRateLimited("a");
    queue.shutDown();
    queue.addRateLimited("a");

    assertThat(registry.scrape()).contains("workqueue_retries_total{name=\"services\"} 1.0");
  }
}
