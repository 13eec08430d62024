package dev.berth.runner.config;

/**
 * The admin HTTP endpoint: {@code /metrics} (Prometheus), {@code /healthz} and {@code /readyz}
 * ({@code [metrics]}).
 *
 * @param listen a loopback address, or null when disabled. Loopback only: the endpoint has no
 *     authentication, and metrics name every service on the node.
 */
public record MetricsConfig(HostPort listen) {

  /**
   * Loopback, on the port OpenTelemetry's Prometheus exporter uses, so a scraper on the node (or a
   * tunnel) finds it where it looks for JVM agents.
   */
  public static final String DEFAULT_LISTEN = "127.0.0.1:9464";
}
