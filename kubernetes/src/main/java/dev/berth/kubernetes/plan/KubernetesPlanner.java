package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.ComponentStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import dev.berth.kubernetes.resource.BerthServiceStatus.RouteStatus;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A BerthService's spec × what the cluster holds → the objects to write and delete, and its status:
 * a pure function, with no client and no clock behind it (the time comes in {@link PlanInput#now}).
 *
 * <p>The rules, in the order they apply:
 *
 * <ol>
 *   <li>Valid or refused: the spec is read with {@link ServiceSpecMapping}, checked by the spec
 *       module's {@link SpecValidator} (the node's rules, with {@link
 *       OperatorConfig#validationPolicy()}), and by what a cluster can honour ({@code
 *       ClusterCapabilities}: containers only, a restarting policy, numeric users, host paths and
 *       ports only on a pinned node...). Any violation and the plan is {@link
 *       KubernetesPlan#refused}: {@code Valid=False} with every violation's field path, nothing
 *       written, the components' status as it was.
 *   <li>Held: while the service's boot stage does not admit it, nothing is written ({@code
 *       Admitted=False}, {@code WaitingForStage}) and the plan asks to look again.
 *   <li>Name conflict: when an object it needs has a name held by an object that is not this
 *       BerthService's own ({@link ClusterLabels#ownedBy}), nothing is written ({@code
 *       Ready=False}, {@code NameConflict}).
 *   <li>Running: per container component a Deployment (1 replica) and, with routes, a ClusterIP
 *       Service; per l7 route a certificate (a cert-manager Certificate, a Secret someone else
 *       writes, or a Secret the operator writes with what its own issuer issued: {@link
 *       KubernetesPlan#certificates}) and, once that is Ready, an Ingress; per l4 route a TLSRoute
 *       on the operator's Gateway, or {@code RouteReady=False NoPassthroughGateway} where the
 *       cluster has no TLSRoute API.
 *   <li>Stopped: routes (Ingresses, TLSRoutes) are deleted first; once none is left, Deployments go
 *       to 0 replicas and are kept, as are Services and Certificates.
 *   <li>Objects of its own that are no longer desired are deleted; a desired object is written only
 *       when the cluster does not hold it with the same {@link ClusterLabels#OBJECT_HASH}.
 * </ol>
 *
 * <p>A component's status comes from its Deployment and, while that runs the current spec with no
 * ready replica, from the pods of that spec ({@code PodStates}): {@code ImageMissing}, {@code
 * CrashLoopBackOff}, {@code InvalidSpec}, {@code RuntimeFailed} or {@code pending}, as on a node.
 * Ready is {@code Failed} while a component's state is a failure, as the node's {@link
 * ServiceConvergence} is. Pods are only read: never written, deleted or cleaned up.
 */
public final class KubernetesPlanner {

  private final OperatorConfig config;
  private final SpecValidator validator;

  public KubernetesPlanner(OperatorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.validator = new SpecValidator(config.validationPolicy());
  }

  public OperatorConfig config() {
    return config;
  }

  public KubernetesPlan plan(PlanInput input) {
    ServiceSpecMapping.Converted converted =
        ServiceSpecMapping.toServiceSpec(input.owner().name(), input.spec());
    if (!converted.ok()) {
      return refuse(input, ActionFailure.INVALID_SPEC.wire(), converted.violations());
    }
    List<Violation> invalid = validator.validate(converted.spec());
    ClusterCapabilities.Refusals refusals = ClusterCapabilities.check(converted.spec(), config);
    if (!invalid.isEmpty() || !refusals.none()) {
      String reason =
          !invalid.isEmpty()
              ? ActionFailure.INVALID_SPEC.wire()
              : !refusals.runtime().isEmpty()
                  ? ConditionTypes.RUNTIME_NOT_SUPPORTED
                  : ConditionTypes.NOT_SUPPORTED_ON_CLUSTER;
      List<Violation> all = new ArrayList<>(invalid);
      all.addAll(refusals.runtime());
      all.addAll(refusals.other());
      return refuse(input, reason, all);
    }
    ServiceSpec spec = config.validationPolicy().defaultDomain().resolve(converted.spec());
    ServiceDraft draft = new ServiceDraft(config, input, spec);
    if (!input.admission().admitted()) {
      return held(input, draft);
    }
    if (!draft.conflicts.isEmpty()) {
      return conflict(input, draft);
    }
    return KubernetesPlan.converge(
        draft.desired,
        draft.writes,
        draft.deletions,
        status(input, draft.conditions(readyCondition(draft)), draft.components, draft.routes),
        draft.requeueAfter,
        draft.issues);
  }

  /**
   * What to delete of a BerthService being deleted: its routes (Ingresses, TLSRoutes) while any is
   * left, then every other object of its own (a Secret only where the operator's own issuer wrote
   * it, never one cert-manager or someone else wrote, and never an object that is not its own).
   */
  public CleanupPlan cleanup(Owner owner, ObservedObjects observed) {
    List<HasMetadata> routes = new ArrayList<>();
    List<HasMetadata> rest = new ArrayList<>();
    for (HasMetadata object : observed.all()) {
      String namespace = object.getMetadata().getNamespace();
      boolean here = namespace == null || namespace.equals(owner.namespace());
      // A Secret is the operator's to delete only when its own issuer wrote it (local-ca).
      boolean keptSecret = object instanceof Secret && !config.certificates().issuesOwn();
      if (!here || keptSecret || !ClusterLabels.ownedBy(object, owner)) {
        continue;
      }
      (object instanceof Ingress || object instanceof TLSRoute ? routes : rest).add(object);
    }
    routes.sort(ServiceDraft.BY_KIND_AND_NAME);
    rest.sort(ServiceDraft.BY_KIND_AND_NAME);
    if (!routes.isEmpty()) {
      return new CleanupPlan(routes, false, config.routeWithdrawalRecheck());
    }
    if (!rest.isEmpty()) {
      return new CleanupPlan(rest, false, config.routeWithdrawalRecheck());
    }
    return new CleanupPlan(List.of(), true, null);
  }

  // ---- refused, held, conflict ----

  private KubernetesPlan refuse(PlanInput input, String reason, List<Violation> violations) {
    String message = Violation.describe(violations);
    List<Condition> conditions =
        List.of(
            Conditions.of(ConditionTypes.VALID, false, reason, message),
            Conditions.of(
                ConditionTypes.READY,
                false,
                reason,
                "the spec is refused (see Valid): nothing of it is written, and what the cluster"
                    + " runs of an earlier spec is left as it is"));
    BerthServiceStatus previous = input.previous();
    return KubernetesPlan.refused(
        status(
            input,
            conditions,
            previous == null ? null : previous.components(),
            previous == null ? null : previous.routes()));
  }

  /**
   * Held by a boot stage: a component whose Deployment runs the current spec and is ready shows as
   * running (it does, whoever waits); any other is {@code waiting}, naming the stage, as on a node.
   */
  private KubernetesPlan held(PlanInput input, ServiceDraft draft) {
    String message =
        "waits for boot stage "
            + input.admission().waitingFor()
            + (input.admission().reason() == null ? "" : ": " + input.admission().reason());
    List<ComponentStatus> components = new ArrayList<>();
    for (ComponentStatus c : draft.components) {
      components.add(
          Boolean.TRUE.equals(c.ready())
              ? c
              : new ComponentStatus(
                  c.name(),
                  c.runtime(),
                  ComponentPhase.WAITING.wire(),
                  false,
                  ComponentPhase.WAITING.readyReason(),
                  false,
                  message,
                  c.image(),
                  c.specHash()));
    }
    String reason = ComponentPhase.WAITING.readyReason();
    List<Condition> conditions =
        draft.conditions(Conditions.of(ConditionTypes.READY, false, reason, message));
    conditions.set(1, Conditions.of(ConditionTypes.ADMITTED, false, reason, message));
    return KubernetesPlan.held(
        status(input, conditions, components, draft.routes), config.stageRecheck());
  }

  private KubernetesPlan conflict(PlanInput input, ServiceDraft draft) {
    String message =
        "an object it needs has a name another holds, so nothing is written: "
            + String.join("; ", draft.conflicts)
            + ". Remove or rename the other object, or rename the service or component";
    List<Condition> conditions =
        draft.conditions(
            Conditions.of(ConditionTypes.READY, false, ConditionTypes.NAME_CONFLICT, message));
    return KubernetesPlan.conflict(
        status(input, conditions, draft.components, draft.routes), config.noEventRecheck());
  }

  private static BerthServiceStatus status(
      PlanInput input,
      List<Condition> conditions,
      List<ComponentStatus> components,
      List<RouteStatus> routes) {
    return new BerthServiceStatus(
        input.owner().generation(),
        Conditions.stamp(conditions, input.previous(), input.now()),
        components == null ? List.of() : components,
        routes == null ? List.of() : routes);
  }

  /**
   * The service's Ready condition: the node's {@link ServiceConvergence}, folded the same way:
   * Failed while a component's state is a failure (waiting will not help), naming those; else
   * Converged once nothing is left to write, delete or wait for; else Progressing.
   */
  private static Condition readyCondition(ServiceDraft draft) {
    if (!draft.failures.isEmpty()) {
      return Conditions.of(
          ConditionTypes.READY,
          false,
          ServiceConvergence.FAILED.reason(),
          String.join("; ", draft.failures));
    }
    if (draft.waits.isEmpty() && draft.writes.isEmpty() && draft.deletions.isEmpty()) {
      return Conditions.of(
          ConditionTypes.READY,
          true,
          ServiceConvergence.CONVERGED.reason(),
          draft.stopped ? "stopped, as declared" : "every component runs its current spec");
    }
    List<String> waits = new ArrayList<>(draft.waits);
    if (waits.isEmpty()) {
      waits.add("the cluster is being brought to the spec");
    }
    return Conditions.of(
        ConditionTypes.READY,
        false,
        ServiceConvergence.PROGRESSING.reason(),
        String.join("; ", waits));
  }
}
