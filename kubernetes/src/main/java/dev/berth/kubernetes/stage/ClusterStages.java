package dev.berth.kubernetes.stage;

import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.Stage;
import dev.berth.core.stage.StageListener;
import dev.berth.core.time.Clock;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.status.ConditionTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A cluster's boot stages as controller-core's {@link OrderedStages}: the BerthServices of stage
 * N+1 are admitted once every service of stage N is Ready. The reconciler asks {@link
 * OrderedStages#admit} before planning and hands the answer to the planner, which writes nothing
 * for a service not admitted and asks to look again; no thread waits.
 *
 * <p>A stage is up when each of its members that is declared, and declared running, has a status
 * for its current generation with {@code Ready=True}: Kubernetes has probed its pods (their
 * readiness probes are the components' health probes). Members not declared, or stopped, do not
 * hold the stage back, as on a node.
 */
public final class ClusterStages {

  private ClusterStages() {}

  /**
   * The gate of {@code stages}, in their order.
   *
   * @param services every BerthService the operator knows, as of now (an informer's cache): read
   *     each time a waiting service asks, so must be quick
   */
  public static OrderedStages<ServiceKey> gate(
      List<ClusterStage> stages,
      Supplier<? extends Collection<BerthService>> services,
      Clock clock,
      StageListener listener) {
    List<Stage<ServiceKey>> ordered = new ArrayList<>();
    for (ClusterStage stage : stages) {
      ordered.add(
          new Stage<>(
              stage.name(),
              stage::member,
              () -> readiness(stage, services.get()),
              stage.timeout(),
              stage.required()));
    }
    return new OrderedStages<>(ordered, clock, listener);
  }

  static Readiness readiness(ClusterStage stage, Collection<BerthService> services) {
    for (BerthService service : services) {
      ServiceKey key = ServiceKey.of(service);
      if (!stage.member(key) || stopped(service)) {
        continue;
      }
      String problem = problem(service);
      if (problem != null) {
        return Readiness.notReady(key + ": " + problem);
      }
    }
    return Readiness.READY;
  }

  private static boolean stopped(BerthService service) {
    return service.getSpec() != null
        && DesiredState.STOPPED.wire().equals(service.getSpec().state());
  }

  /** Why a member is not up, or null when it is. */
  private static String problem(BerthService service) {
    BerthServiceStatus status = service.getStatus();
    Long generation = service.getMetadata().getGeneration();
    if (status == null || status.observedGeneration() == null) {
      return "not reconciled yet";
    }
    if (generation != null && status.observedGeneration() < generation) {
      return "its generation " + generation + " is not reconciled yet";
    }
    if (status.conditions() != null) {
      for (BerthServiceStatus.Condition condition : status.conditions()) {
        if (condition != null && ConditionTypes.READY.equals(condition.type())) {
          return "True".equals(condition.status()) ? null : condition.message();
        }
      }
    }
    return "no Ready condition yet";
  }
}
