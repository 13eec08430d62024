package dev.berth.reconcilers.node;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.reconcilers.service.ServiceReconciler;
import java.util.Objects;

/**
 * The boot stages' gate, saying in each held service's status which stage it waits for: a held
 * service is not reconciled, so without this its status would stay whatever was last written, by an
 * earlier reconcile or an earlier agent (a "running" for a workload that no longer exists).
 */
final class HeldStatusGate implements Gate<String> {

  private final Gate<String> stages;
  private final ServiceReconciler reconciler;

  HeldStatusGate(Gate<String> stages, ServiceReconciler reconciler) {
    this.stages = Objects.requireNonNull(stages, "stages");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
  }

  @Override
  public Admission admit(String service) {
    long passes = reconciler.passes(service);
    Admission admission = stages.admit(service);
    if (!admission.admitted()) {
      reconciler.held(service, passes, admission);
    }
    return admission;
  }
}
