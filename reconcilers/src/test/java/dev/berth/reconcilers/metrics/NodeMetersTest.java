package dev.berth.reconcilers.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeMetersTest {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock wall = Clock.fixed(NOW, ZoneOffset.UTC);
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<NodeMeters.Snapshot> state =
      new AtomicReference<>(
          new NodeMeters.Snapshot(
              Map.of("Converged", 2, "Failed", 1),
              Map.of("running", 3, "CrashLoopBackOff", 1),
              Map.of("shop.example.com", NOW.plus(Duration.ofDays(10)))));

  private NodeMeters bind() {
    return NodeMeters.bind(
        meters,
        () -> {
          reads.incrementAndGet();
          return state.get();
        },
        () -> 7,
        wall);
  }

  @Test
  void servicesAndComponentsAreCountedByPhaseEveryPhaseFromZero() {
    bind();

    assertThat(meters.scrape())
        .contains("berth_services{phase=\"Converged\"} 2")
        .contains("berth_services{phase=\"Failed\"} 1")
        .contains("berth_services{phase=\"Progressing\"} 0")
        .contains("berth_services{phase=\"Pending\"} 0")
        .contains("berth_components{phase=\"running\"} 3")
        .contains("berth_components{phase=\"ImageMissing\"} 0")
        .contains("berth_components{phase=\"CrashLoopBackOff\"} 1");
  }

  @Test
  void crashLoopsAndRestartsHaveTheirOwnSeries() {
    bind();

    assertThat(meters.scrape())
        .contains("berth_components_crash_looping 1")
        .contains("berth_component_restarts_total 7");
  }

  @Test
  void eachCertificateReportsTheSecondsUntilItsNotAfter() {
    bind();

    assertThat(meters.scrape())
        .contains("berth_certificate_expiry_seconds{certificate=\"shop.example.com\"} 864000");
  }

  @Test
  void aCertificateGoneFromTheRegistryLosesItsSeries() throws Exception {
    NodeMeters node = bind();
    state.set(new NodeMeters.Snapshot(Map.of(), Map.of(), Map.of()));

    Thread.sleep(NodeMeters.FRESH.toMillis() + 50);
    node.snapshot();

    assertThat(meters.scrape()).doesNotContain("shop.example.com");
  }

  @Test
  void aRegistryThatCannotBeReadLeavesTheLastValues() throws Exception {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    NodeMeters node =
        NodeMeters.bind(
            meters,
            () -> {
              if (failure.get() != null) {
                throw failure.get();
              }
              return state.get();
            },
            () -> 0,
            wall);
    failure.set(new IllegalStateException("the registry is closed"));

    Thread.sleep(NodeMeters.FRESH.toMillis() + 50);
    node.snapshot();

    assertThat(meters.scrape()).contains("berth_services{phase=\"Converged\"} 2");
  }

  @Test
  void oneScrapeReadsTheRegistryOnce() {
    bind();
    reads.set(0);

    meters.scrape();

    assertThat(reads.get()).isLessThanOrEqualTo(1);
  }
}
