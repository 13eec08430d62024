package dev.berth.kubernetes.operator;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.Stage;
import dev.berth.core.time.Clock;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.spec.status.ConditionTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The cluster's boot stages as controller-core's {@link OrderedStages}, keyed by {@code
 * namespace/name}: a stage is ready when each of its services is declared and has {@code
 * Ready=True}, read from the operator's cache of BerthServices (no request). Nothing waits: a held
 * service's plan asks to be looked at again.
 */
final class StageGate {

  private final OrderedStages<String> stages;

  /**
   * @param declared the stages, in order
   * @param declaredServices the BerthServices the operator sees, read at each check
   */
  StageGate(List<ClusterStage> declared, Supplier<Stream<BerthService>> declaredServices) {
    List<Stage<String>> stages = new ArrayList<>();
    for (ClusterStage stage : declared) {
      stages.add(
          new Stage<>(
              stage.name(),
              key -> stage.member(namespace(key), name(key)),
              () -> readiness(stage, declaredServices.get().toList()),
              stage.timeout(),
              stage.required()));
    }
    this.stages = new OrderedStages<>(stages, Clock.system());
  }

  Admission admit(BerthService service) {
    return stages.admit(key(service));
  }

  private static Readiness readiness(ClusterStage stage, List<BerthService> services) {
    List<String> notReady = new ArrayList<>();
    for (String ref : stage.services()) {
      List<BerthService> matching =
          services.stream()
              .filter(
                  s ->
                      new ClusterStage(stage.name(), List.of(ref), null, false)
                          .member(s.getMetadata().getNamespace(), s.getMetadata().getName()))
              .toList();
      if (matching.isEmpty()) {
        notReady.add(ref + " is not declared");
      }
      for (BerthService s : matching) {
        if (!ready(s)) {
          notReady.add(key(s) + " is not Ready");
        }
      }
    }
    return notReady.isEmpty() ? Readiness.READY : Readiness.notReady(String.join(", ", notReady));
  }

  private static boolean ready(BerthService service) {
    BerthServiceStatus status = service.getStatus();
    if (status == null
        || status.conditions() == null
        || !java.util.Objects.equals(
            status.observedGeneration(), service.getMetadata().getGeneration())) {
      return false; // no status yet, or one of an earlier spec
    }
    return status.conditions().stream()
        .anyMatch(c -> ConditionTypes.READY.equals(c.type()) && "True".equals(c.status()));
  }

  static String key(BerthService service) {
    return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
  }

  private static String namespace(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
