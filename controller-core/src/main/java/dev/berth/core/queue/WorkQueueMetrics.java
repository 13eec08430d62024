package dev.berth.core.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a queue reports. The names are client-go's, so that dashboards written for Kubernetes
 * controllers read Berth's queues too: {@code workqueue_depth}, {@code workqueue_adds_total},
 * {@code workqueue_queue_duration_seconds}, {@code workqueue_work_duration_seconds}, {@code
 * workqueue_unfinished_work_seconds}, {@code workqueue_longest_running_processor_seconds}, {@code
 * workqueue_retries_total}, each tagged {@code name}. Their meaning is client-go's too, with one
 * difference: {@code workqueue_retries_total} counts rate-limited retries only, where client-go
 * counts every delayed add; a periodic {@code Result.requeueAfter} is not a failure here. The two
 * unfinished-work gauges are computed when scraped rather than every 500 ms.
 */
interface WorkQueueMetrics {

  /** Reports nothing and lets the queue skip reading the clock on its hot path. */
  WorkQueueMetrics NONE = new WorkQueueMetrics() {};

  /** Whether durations are recorded; when not, the queue does not take timestamps at all. */
  default boolean timed() {
    return false;
  }

  /** A key became waiting (duplicates that collapse are not counted). */
  default void added() {}

  /** A key was handed out after waiting this long. */
  default void queued(long nanos) {}

  /** A key was done after being processed this long. */
  default void worked(long nanos) {}

  /** A key was scheduled for a rate-limited retry. */
  default void retried() {}

  /** Bucket bounds from a microsecond to 100 s, wide enough for both queueing and work. */
  Duration[] DURATION_BUCKETS = {
    Duration.ofNanos(1_000),
    Duration.ofNanos(10_000),
    Duration.ofNanos(100_000),
    Duration.ofMillis(1),
    Duration.ofMillis(10),
    Duration.ofMillis(100),
    Duration.ofSeconds(1),
    Duration.ofSeconds(10),
    Duration.ofSeconds(100)
  };

  static WorkQueueMetrics micrometer(MeterRegistry registry, String name, WorkQueue<?> queue) {
    Gauge.builder("workqueue.depth", queue, WorkQueue::depth)
        .description("Keys waiting in the queue, also those added again while being processed")
        .tag("name", name)
        .register(registry);
    Gauge.builder("workqueue.unfinished.work", queue, WorkQueue::unfinishedWorkSeconds)
        .description("How long the keys being processed have been processed so far, summed")
        .baseUnit("seconds")
        .tag("name", name)
        .register(registry);
    Gauge.builder(
            "workqueue.longest.running.processor", queue, WorkQueue::longestRunningProcessorSeconds)
        .description("How long the key processed the longest has been processed so far")
        .baseUnit("seconds")
        .tag("name", name)
        .register(registry);
    Counter adds =
        Counter.builder("workqueue.adds")
            .description("Keys added to the queue")
            .tag("name", name)
            .register(registry);
    Counter retries =
        Counter.builder("workqueue.retries")
            .description("Rate-limited retries scheduled")
            .tag("name", name)
            .register(registry);
    Timer queueDuration =
        Timer.builder("workqueue.queue.duration")
            .description("How long a key waits in the queue before it is handed out")
            .tag("name", name)
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry);
    Timer workDuration =
        Timer.builder("workqueue.work.duration")
            .description("How long processing a key takes, from get to done")
            .tag("name", name)
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry);
    return new WorkQueueMetrics() {
      @Override
      public boolean timed() {
        return true;
      }

      @Override
      public void added() {
        adds.increment();
      }

      @Override
      public void queued(long nanos) {
        queueDuration.record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void worked(long nanos) {
        workDuration.record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void retried() {
        retries.increment();
      }
    };
  }
}
