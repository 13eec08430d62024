package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.plan.OperatorConfig;
import dev.berth.kubernetes.stage.ClusterStage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the operator runs, beside what its planner needs to know of the cluster.
 *
 * @param namespaces whose BerthServices it reconciles
 * @param planner the planner's settings: Gateway, certificates, ingress class, route ports...
 * @param stages the boot stages, in order; empty for none
 * @param resync how often every BerthService is reconciled although no event came, which catches
 *     what events missed. Defaults to {@link #DEFAULT_RESYNC}.
 */
public record OperatorSettings(
    WatchedNamespaces namespaces,
    OperatorConfig planner,
    List<ClusterStage> stages,
    Duration resync) {

  /** Ten minutes: the order of a controller-runtime manager's default sync period. */
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);

  public static final OperatorSettings DEFAULTS =
      new OperatorSettings(
          WatchedNamespaces.ALL, OperatorConfig.DEFAULTS, List.of(), DEFAULT_RESYNC);

  public OperatorSettings {
    Objects.requireNonNull(namespaces, "namespaces");
    Objects.requireNonNull(planner, "planner");
    stages = List.copyOf(stages);
    Objects.requireNonNull(resync, "resync");
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("resync must be positive, was " + resync);
    }
  }

  public OperatorSettings withNamespaces(WatchedNamespaces value) {
    return new OperatorSettings(value, planner, stages, resync);
  }

  public OperatorSettings withPlanner(OperatorConfig value) {
    return new OperatorSettings(namespaces, value, stages, resync);
  }

  public OperatorSettings withStages(List<ClusterStage> value) {
    return new OperatorSettings(namespaces, planner, value, resync);
  }

  public OperatorSettings withResync(Duration value) {
    return new OperatorSettings(namespaces, planner, stages, value);
  }
}
