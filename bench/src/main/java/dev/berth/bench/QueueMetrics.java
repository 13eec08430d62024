package dev.berth.bench;

import dev.berth.core.queue.WorkQueue;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The two ways a queue can be built: the metrics it records are the difference under test. */
public enum QueueMetrics {
  /** No registry: the queue skips every metric and never reads the clock. */
  NONE,
  /** A Prometheus registry, as a deployment that is scraped would configure it. */
  PROMETHEUS;

  <K> WorkQueue<K> newQueue(String name) {
    WorkQueue.Builder<K> builder = WorkQueue.builder(name);
    if (this == PROMETHEUS) {
      builder.meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
    return builder.build();
  }
}
