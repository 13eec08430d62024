package dev.berth.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsFormatTest {

  /** What Prometheus 3 sends when it scrapes with its default protocols. */
  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
          + "application/openmetrics-text;version=0.0.1;q=0.4,"
          + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
          + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

  @Test
  void prometheusOwnAcceptHeaderGetsOpenMetrics() {
    assertThat(MetricsFormat.negotiate(PROMETHEUS_ACCEPT)).isEqualTo(MetricsFormat.OPENMETRICS);
  }

  @Test
  void noAcceptHeaderGetsTheTextFormat() {
    assertThat(MetricsFormat.negotiate(null)).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.negotiate("*/*")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void openMetricsRankedBelowTextGetsTheTextFormat() {
    assertThat(MetricsFormat.negotiate("text/plain;q=0.9, application/openmetrics-text;q=0.5"))
        .isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void openMetricsWithQualityZeroIsRefused() {
    assertThat(MetricsFormat.negotiate("application/openmetrics-text;q=0"))
        .isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void openMetricsAloneOrFirstAmongEqualsGetsOpenMetrics() {
    assertThat(MetricsFormat.negotiate("Application/OpenMetrics-Text; version=1.0.0"))
        .isEqualTo(MetricsFormat.OPENMETRICS);
    assertThat(MetricsFormat.negotiate("application/openmetrics-text, text/plain"))
        .isEqualTo(MetricsFormat.OPENMETRICS);
  }

  @Test
  void gzipIsUsedWhenNamedOrCoveredByTheWildcardWithAPositiveQuality() {
    assertThat(MetricsFormat.acceptsGzip("gzip")).isTrue();
    assertThat(MetricsFormat.acceptsGzip("deflate, gzip;q=0.5")).isTrue();
    assertThat(MetricsFormat.acceptsGzip("*")).isTrue();
    assertThat(MetricsFormat.acceptsGzip(null)).isFalse();
    assertThat(MetricsFormat.acceptsGzip("identity")).isFalse();
    assertThat(MetricsFormat.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(MetricsFormat.acceptsGzip("*, gzip;q=0")).isFalse();
  }
}
