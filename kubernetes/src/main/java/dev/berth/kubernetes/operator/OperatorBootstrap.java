package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.resource.BerthService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts a JOSDK {@link Operator} by hand, with every setting Berth relies on spelled out here: the
 * given client (whose owner closes it), server-side apply off for the primary's status (the objects
 * are written by the reconciler with plain create and replace), JOSDK's Micrometer metrics, the
 * watched namespaces and the resync interval.
 *
 * <p>Server-side apply is off so that the path that ships is the path that is tested: fabric8's
 * mock API server, the only one the tests have, serves no SSA.
 */
final class OperatorBootstrap {

  /** The name of the one controller; JOSDK's metrics and health name it so. */
  static final String CONTROLLER = "berthservice";

  private OperatorBootstrap() {}

  /**
   * Registers {@code reconciler} for BerthServices in {@code namespaces} and starts the operator;
   * returns once its informers have synced (or throws when one cannot start).
   *
   * @param resync how often every BerthService is reconciled although no event came
   */
  static Operator start(
      KubernetesClient client,
      WatchedNamespaces namespaces,
      Duration resync,
      MeterRegistry meters,
      Reconciler<BerthService> reconciler) {
    Objects.requireNonNull(client, "client");
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters)));
    operator.register(
        reconciler,
        c -> {
          c.withName(CONTROLLER).withReconciliationMaxInterval(resync);
          if (namespaces.all()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces.names());
          }
        });
    try {
      operator.start();
    } catch (RuntimeException e) {
      operator.stop();
      throw e;
    }
    return operator;
  }

  /** The health of a started operator, from JOSDK's RuntimeInfo. */
  static OperatorHealth health(Operator operator) {
    RuntimeInfo info = operator.getRuntimeInfo();
    List<String> unhealthy = new ArrayList<>();
    info.unhealthyEventSources()
        .forEach(
            (controller, sources) ->
                sources.forEach(
                    (source, indicator) ->
                        unhealthy.add(controller + "/" + source + ": " + indicator.getStatus())));
    return new OperatorHealth(info.isStarted(), unhealthy);
  }
}
