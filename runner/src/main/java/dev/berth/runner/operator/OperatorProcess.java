package dev.berth.runner.operator;

import dev.berth.kubernetes.operator.BerthOperator;
import dev.berth.kubernetes.operator.OperatorHealth;
import dev.berth.kubernetes.operator.OperatorSettings;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.runner.config.HostPort;
import dev.berth.runner.http.AdminServer;
import dev.berth.runner.http.HealthReport;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berth operator} wired: the kubernetes module's {@link BerthOperator} on a cluster, and the
 * admin endpoint ({@code /metrics} with JOSDK's and the JVM's meters, {@code /healthz}, {@code
 * /readyz}). Wiring only.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);

  private final BerthOperator operator;
  private final AdminServer admin;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private OperatorProcess(BerthOperator operator, AdminServer admin) {
    this.operator = operator;
    this.admin = admin;
  }

  /**
   * Connects, starts the operator (its informers synced) and then the admin endpoint.
   *
   * @param kubeconfig a kubeconfig file, or null for the usual search (in-cluster last)
   * @param metricsListen where the admin endpoint listens, or null for nowhere
   * @param localCa the local CA that issues l7 routes' certificates ({@code certificates.source =
   *     "local-ca"}), else null
   */
  public static OperatorProcess start(
      Path kubeconfig, OperatorSettings settings, HostPort metricsListen, LocalCaConfig localCa)
      throws IOException {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    BerthOperator operator =
        BerthOperator.connect(
            kubeconfig, settings, meters, localCa == null ? null : LocalCaTlsIssuer.of(localCa));
    AdminServer admin = null;
    try {
      if (metricsListen != null) {
        admin =
            AdminServer.startOnAnyAddress(
                metricsListen.toSocketAddress(),
                meters,
                HealthReport::ok,
                () -> readiness(operator.health()));
      }
    } catch (IOException | RuntimeException e) {
      operator.close();
      throw e;
    }
    LOG.atInfo()
        .setMessage("berth operator started")
        .addKeyValue("namespaces", settings.namespaces())
        .addKeyValue("metrics", metricsListen == null ? "off" : metricsListen.toString())
        .log();
    return new OperatorProcess(operator, admin);
  }

  /** {@code /readyz}: ready while the operator runs and every informer watches. */
  static HealthReport readiness(OperatorHealth health) {
    if (!health.started()) {
      return HealthReport.failing("the operator has not started");
    }
    return health.unhealthy().isEmpty()
        ? HealthReport.ok()
        : HealthReport.failing("unhealthy: " + String.join("; ", health.unhealthy()));
  }

  /** The admin endpoint's port, when it listens. */
  public Optional<Integer> adminPort() {
    return Optional.ofNullable(admin).map(AdminServer::port);
  }

  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    try {
      if (admin != null) {
        admin.close();
      }
      operator.close();
    } finally {
      stopped.countDown();
    }
  }
}
