package dev.berth.runner.http;

import java.util.Locale;

/**
 * The exposition format of one {@code /metrics} answer, chosen from the request's {@code Accept}
 * header: OpenMetrics when the client ranks {@code application/openmetrics-text} at least as high
 * as anything else it accepts (Prometheus asks for it first since 2.5), Prometheus' text format
 * 0.0.4 otherwise, also when the header is absent or names neither. Other formats (the protobuf
 * one) are never served: a scraper that accepts them accepts text too.
 */
public enum MetricsFormat {
  /** Prometheus' text exposition format 0.0.4. */
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0.0 text, with {@code # EOF} at the end. */
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private static final String OPENMETRICS_TYPE = "application/openmetrics-text";

  private final String contentType;

  MetricsFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of an answer in this format. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format for an {@code Accept} header (null when absent): OpenMetrics if its quality is
   * positive and no other media range the client accepts ranks higher.
   */
  public static MetricsFormat negotiate(String accept) {
    if (accept == null) {
      return PROMETHEUS_TEXT;
    }
    double openMetrics = 0;
    double other = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      double quality = quality(parts);
      if (type.equals(OPENMETRICS_TYPE)) {
        openMetrics = Math.max(openMetrics, quality);
      } else {
        other = Math.max(other, quality);
      }
    }
    return openMetrics > 0 && openMetrics >= other ? OPENMETRICS : PROMETHEUS_TEXT;
  }

  /**
   * Whether an {@code Accept-Encoding} header (null when absent) accepts gzip: named, or {@code *},
   * with a positive quality.
   */
  public static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    double gzip = -1;
    double any = -1;
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.split(";");
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      if (name.equals("gzip") || name.equals("x-gzip")) {
        gzip = Math.max(gzip, quality(parts));
      } else if (name.equals("*")) {
        any = Math.max(any, quality(parts));
      }
    }
    // A coding named outright overrides the wildcard (RFC 9110, 12.5.3).
    return gzip >= 0 ? gzip > 0 : any > 0;
  }

  /** The {@code q} parameter among a range's parameters; 1 when absent, 0 when unreadable. */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.length() > 2 && parameter.substring(0, 2).equalsIgnoreCase("q=")) {
        try {
          return Double.parseDouble(parameter.substring(2).trim());
        } catch (NumberFormatException unreadable) {
          return 0;
        }
      }
    }
    return 1;
  }
}
