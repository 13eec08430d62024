package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.plan.KubernetesPlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A running Berth operator: the JOSDK {@link Operator} with the {@link BerthServiceReconciler}
 * registered. The runner's {@code berth operator} starts one with {@link #connect}, which keeps
 * fabric8's and JOSDK's types inside this module.
 */
public final class BerthOperator implements AutoCloseable {

  private final Operator operator;
  private final KubernetesClient ownedClient;

  private BerthOperator(Operator operator, KubernetesClient ownedClient) {
    this.operator = operator;
    this.ownedClient = ownedClient;
  }

  /**
   * Connects to the cluster a kubeconfig names (or, without one, the usual search ending with the
   * in-cluster service account) and starts the operator; the client is closed with it.
   *
   * @param kubeconfig a kubeconfig file, or null
   */
  public static BerthOperator connect(
      Path kubeconfig, OperatorSettings settings, MeterRegistry meters) throws IOException {
    return connect(kubeconfig, settings, meters, null);
  }

  /**
   * As {@link #connect(Path, OperatorSettings, MeterRegistry)}, with the issuer of l7 routes'
   * certificates that certificates source local-ca needs (null for the other sources).
   */
  public static BerthOperator connect(
      Path kubeconfig, OperatorSettings settings, MeterRegistry meters, TlsIssuer issuer)
      throws IOException {
    KubernetesClient client = ClusterClients.connect(kubeconfig);
    try {
      return new BerthOperator(run(client, settings, meters, issuer), client);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Starts the operator on {@code client}, which its caller keeps and closes. */
  public static BerthOperator start(
      KubernetesClient client, OperatorSettings settings, MeterRegistry meters) {
    return start(client, settings, meters, null);
  }

  /** As above, with the issuer that certificates source local-ca needs (else null). */
  public static BerthOperator start(
      KubernetesClient client, OperatorSettings settings, MeterRegistry meters, TlsIssuer issuer) {
    return new BerthOperator(run(client, settings, meters, issuer), null);
  }

  private static Operator run(
      KubernetesClient client, OperatorSettings settings, MeterRegistry meters, TlsIssuer issuer) {
    BerthServiceReconciler reconciler =
        new BerthServiceReconciler(
            client,
            new KubernetesPlanner(settings.planner()),
            BerthServiceReconciler.servedKinds(client),
            settings.stages(),
            Clock.systemUTC(),
            issuer,
            settings.resync());
    return OperatorBootstrap.start(
        client, settings.namespaces(), settings.resync(), meters, reconciler);
  }

  /** Its health, as {@code /readyz} reports it. */
  public OperatorHealth health() {
    return OperatorBootstrap.health(operator);
  }

  /** Stops reconciling; the objects it wrote stay as they are. */
  @Override
  public void close() {
    operator.stop();
    if (ownedClient != null) {
      ownedClient.close();
    }
  }
}
