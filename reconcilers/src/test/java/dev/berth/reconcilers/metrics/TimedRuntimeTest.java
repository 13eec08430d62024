package dev.berth.reconcilers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.fake.FakeRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimedRuntimeTest {

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FakeRuntime fake = new FakeRuntime().addImage("img");
  private final WorkloadRuntime runtime = TimedRuntime.of(fake, meters);

  @Test
  void eachCallIsTimedUnderItsRuntimeAndOperation() {
    fake.latency(FakeRuntime.Operation.RUN, Duration.ofMillis(30));

    runtime.run(WorkloadSpec.builder("web", WorkloadKind.CONTAINER).image("img").build());
    runtime.list();
    runtime.list();

    assertThat(meters.scrape())
        .contains(
            "berth_runtime_operation_duration_seconds_count{operation=\"run\",runtime=\"fake\"} 1")
        .contains(
            "berth_runtime_operation_duration_seconds_bucket{operation=\"run\",runtime=\"fake\",le=\"0.025\"} 0")
        .contains(
            "berth_runtime_operation_duration_seconds_bucket{operation=\"run\",runtime=\"fake\",le=\"+Inf\"} 1")
        .contains(
            "berth_runtime_operation_duration_seconds_count{operation=\"list\",runtime=\"fake\"} 2")
        .contains("berth_runtime_operation_errors_total{operation=\"run\",runtime=\"fake\"} 0.0");
  }

  @Test
  void aFailedCallIsTimedCountedAsAnErrorAndRethrown() {
    assertThatThrownBy(() -> runtime.ensureImage("missing", PullPolicy.NEVER))
        .isInstanceOf(RuntimeFailure.class);

    assertThat(meters.scrape())
        .contains(
            "berth_runtime_operation_errors_total{operation=\"ensure_image\",runtime=\"fake\"} 1.0")
        .contains(
            "berth_runtime_operation_duration_seconds_count{operation=\"ensure_image\",runtime=\"fake\"} 1");
  }

  @Test
  void withoutMetersTheRuntimeIsLeftAsItIs() {
    assertThat(TimedRuntime.of(fake, null)).isSameAs(fake);
  }
}
