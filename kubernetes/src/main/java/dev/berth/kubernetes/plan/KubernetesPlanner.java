package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.ComponentStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import dev.berth.kubernetes.resource.BerthServiceStatus.RouteStatus;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.CertificateReason;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.Violation;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 *       Service; per l7 route a certificate (a cert-manager Certificate, or a Secret someone else
 *       writes) and, once that is Ready, an Ingress; per l4 route a TLSRoute on the operator's
 *       Gateway, or {@code RouteReady=False NoPassthroughGateway} where the cluster has no TLSRoute
 *       API.
 *   <li>Stopped: routes (Ingresses, TLSRoutes) are deleted first; once none is left, Deployments go
 *       to 0 replicas and are kept, as are Services and Certificates.
 *   <li>Objects of its own that are no longer desired are deleted; a desired object is written only
 *       when the cluster does not hold it with the same {@link ClusterLabels#OBJECT_HASH}.
 * </ol>
 */
public final class KubernetesPlanner {

  static final String CERTIFICATE = "waiting for its certificate: ";
  static final String STOPPED = "the service is stopped";
  static final String NO_TLSROUTE_API =
      "the cluster has no TLSRoute API (gateway.networking.k8s.io/v1alpha2): an l4 route needs"
          + " Gateway API's TLSRoute and a Gateway that passes TLS through";

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
    Draft draft = new Draft(input, spec);
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
        draft.requeueAfter);
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
  private KubernetesPlan held(PlanInput input, Draft draft) {
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

  private KubernetesPlan conflict(PlanInput input, Draft draft) {
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

  /** The service's Ready condition: the node's {@link ServiceConvergence}, folded the same way. */
  private static Condition readyCondition(Draft draft) {
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

  // ---- converging ----

  /** The desired objects, the diff against the cluster, and what status says of each part. */
  private final class Draft {

    final List<HasMetadata> desired = new ArrayList<>();
    final List<HasMetadata> writes = new ArrayList<>();
    final List<HasMetadata> deletions = new ArrayList<>();
    final List<ComponentStatus> components = new ArrayList<>();
    final List<RouteStatus> routes = new ArrayList<>();
    final List<String> conflicts = new ArrayList<>();

    /** What keeps the service from being what was declared, for Ready's message. */
    final List<String> waits = new ArrayList<>();

    final List<String> certificatesPending = new ArrayList<>();
    final Set<String> routeProblems = new LinkedHashSet<>();
    boolean anyRoute;
    boolean anyL7;
    boolean noPassthrough;
    final boolean stopped;
    Duration requeueAfter;

    private final Owner owner;
    private final ObservedObjects observed;
    private final Map<String, HasMetadata> held = new HashMap<>();

    Draft(PlanInput input, ServiceSpec spec) {
      this.owner = input.owner();
      this.observed = input.observed();
      this.stopped = spec.desiredState() == DesiredState.STOPPED;
      for (HasMetadata object : observed.all()) {
        String namespace = object.getMetadata().getNamespace();
        if (namespace == null || namespace.equals(owner.namespace())) {
          held.put(key(object), object);
        }
      }
      // Stopping: routes go first, and nothing else moves until they are gone.
      List<HasMetadata> routesUp = stopped ? ownRoutes() : List.of();
      for (ComponentSpec component : spec.components()) {
        planComponent(spec, component, !routesUp.isEmpty());
      }
      for (HasMetadata object : desired) {
        HasMetadata there = held.get(key(object));
        if (there != null && !ClusterLabels.ownedBy(there, owner)) {
          conflicts.add(
              object.getKind()
                  + " "
                  + object.getMetadata().getName()
                  + " is "
                  + ClusterLabels.holder(there));
        }
      }
      if (!routesUp.isEmpty()) {
        deletions.addAll(routesUp);
        requeueAfter = config.routeWithdrawalRecheck();
        return;
      }
      Set<String> wanted = new LinkedHashSet<>();
      for (HasMetadata object : desired) {
        wanted.add(key(object));
        HasMetadata there = held.get(key(object));
        if (there == null || !Objects.equals(ObjectHash.of(there), ObjectHash.of(object))) {
          writes.add(object);
        }
      }
      for (HasMetadata object : held.values()) {
        if (!wanted.contains(key(object))
            && ClusterLabels.ownedBy(object, owner)
            && !(object instanceof Secret)) {
          deletions.add(object);
        }
      }
      deletions.sort(BY_KIND_AND_NAME);
      if (!certificatesPending.isEmpty() && !config.certificates().usesCertManager()) {
        requeueAfter = config.noEventRecheck(); // a Secret of someone else's sends no event
      }
    }

    private void planComponent(ServiceSpec spec, ComponentSpec c, boolean routesUp) {
      Map<String, Integer> routePorts = RoutePorts.of(c, config);
      String specHash = ComponentHash.of(spec.node(), c, routePorts);
      Deployment deployment =
          ObjectHash.stamp(
              DesiredObjects.deployment(
                  owner, spec.node(), c, routePorts, specHash, stopped ? 0 : 1),
              owner.generation());
      desired.add(deployment);
      if (!c.routes().isEmpty()) {
        desired.add(
            ObjectHash.stamp(DesiredObjects.service(owner, c, routePorts), owner.generation()));
      }
      ComponentStatus status =
          componentStatus(c, specHash, own(deployment, Deployment.class), routesUp);
      components.add(status);
      if (!Boolean.TRUE.equals(status.ready())
          && !(stopped && ComponentPhase.STOPPED.wire().equals(status.state()))) {
        waits.add(c.name() + ": " + status.message());
      }
      for (RouteSpec route : c.routes()) {
        planRoute(c, route, routePorts.get(route.name()));
      }
    }

    private ComponentStatus componentStatus(
        ComponentSpec c, String specHash, Deployment there, boolean routesUp) {
      ComponentPhase phase;
      String message = null;
      if (stopped) {
        if (routesUp) {
          phase = ComponentPhase.STOPPING;
          message = "its routes are being removed before its Deployment goes to 0 replicas";
        } else if (there == null || scaledDown(there)) {
          phase = ComponentPhase.STOPPED;
        } else {
          phase = ComponentPhase.STOPPING;
          message = "its Deployment is going to 0 replicas";
        }
      } else if (there == null) {
        phase = ComponentPhase.CREATING;
        message = "its Deployment is being created";
      } else if (!specHash.equals(label(there, ClusterLabels.SPEC_HASH))) {
        phase = ComponentPhase.REPLACING;
        message = "the spec changed";
      } else if (readyReplicas(there) >= 1 && replicas(there) >= 1) {
        phase = ComponentPhase.RUNNING;
      } else {
        phase = ComponentPhase.STARTING;
        message =
            c.health() == null
                ? "its pod is not ready yet"
                : "its pod does not pass its readiness probe yet";
      }
      return new ComponentStatus(
          c.name(),
          c.runtime().wire(),
          phase.wire(),
          phase.ready(),
          phase.readyReason(),
          phase.failure(),
          message,
          c.image(),
          specHash);
    }

    private void planRoute(ComponentSpec c, RouteSpec route, int containerPort) {
      anyRoute = true;
      String backend = ObjectNames.component(owner.name(), c.name()) + ":" + containerPort;
      String reason;
      if (route.mode() == RouteMode.L7) {
        anyL7 = true;
        String notReady = certificate(c, route);
        if (stopped) {
          reason = STOPPED;
        } else if (notReady != null) {
          reason = CERTIFICATE + notReady;
          certificatesPending.add(route.hostname() + ": " + notReady);
          routeProblems.add(ConditionTypes.WAITING_FOR_CERTIFICATE);
        } else {
          Ingress ingress =
              ObjectHash.stamp(
                  DesiredObjects.ingress(
                      owner,
                      c,
                      route,
                      containerPort,
                      DesiredObjects.secretName(owner, c, route),
                      config),
                  owner.generation());
          desired.add(ingress);
          reason = current(ingress) ? null : "its Ingress is being written";
        }
      } else if (stopped) {
        reason = STOPPED;
      } else if (!observed.tlsRouteApi()) {
        reason = NO_TLSROUTE_API;
        noPassthrough = true;
        routeProblems.add(ConditionTypes.NO_PASSTHROUGH_GATEWAY);
      } else {
        TLSRoute tlsRoute =
            ObjectHash.stamp(
                DesiredObjects.tlsRoute(owner, c, route, containerPort, config),
                owner.generation());
        desired.add(tlsRoute);
        reason = current(tlsRoute) ? null : "its TLSRoute is being written";
      }
      routes.add(
          new RouteStatus(
              c.name(),
              route.name(),
              route.mode().wire(),
              route.hostname(),
              route.port(),
              backend,
              reason == null,
              reason));
      if (reason != null && !stopped) {
        waits.add("route " + c.name() + "/" + route.name() + ": " + reason);
      }
    }

    /**
     * Plans the certificate of an l7 route (kept while stopped, so that a start is quick); returns
     * why it is not Ready, or null when it is.
     */
    private String certificate(ComponentSpec c, RouteSpec route) {
      String secretName = DesiredObjects.secretName(owner, c, route);
      OperatorConfig.CertificateSource source = config.certificates();
      if (!source.usesCertManager()) {
        Secret secret = (Secret) held.get("Secret/" + secretName);
        return tlsSecret(secret)
            ? null
            : "no kubernetes.io/tls Secret "
                + secretName
                + " with tls.crt and tls.key yet (certificates come from existing Secrets)";
      }
      Certificate certificate =
          ObjectHash.stamp(
              DesiredObjects.certificate(owner, c, route, source.issuer()), owner.generation());
      desired.add(certificate);
      Certificate there = own(certificate, Certificate.class);
      if (there == null || !current(certificate)) {
        return "its cert-manager Certificate is being written";
      }
      CertificateCondition ready = readyCondition(there);
      if (ready == null || !Conditions.TRUE.equals(ready.getStatus())) {
        return "cert-manager has not issued it yet"
            + (ready == null || ready.getMessage() == null ? "" : " (" + ready.getMessage() + ")");
      }
      return null;
    }

    List<Condition> conditions(Condition ready) {
      List<Condition> conditions = new ArrayList<>();
      conditions.add(
          Conditions.of(
              ConditionTypes.VALID,
              true,
              ConditionTypes.ACCEPTED,
              "the spec passes every rule, and a cluster can run it"));
      conditions.add(
          Conditions.of(
              ConditionTypes.ADMITTED,
              true,
              ConditionTypes.ACCEPTED,
              "no boot stage holds it back"));
      conditions.add(ready);
      if (anyRoute) {
        conditions.add(routeReady());
      }
      if (anyL7) {
        conditions.add(
            certificatesPending.isEmpty()
                ? Conditions.of(
                    ConditionTypes.CERTIFICATE_READY,
                    true,
                    CertificateReason.ISSUED.wire(),
                    "every l7 route has its certificate")
                : Conditions.of(
                    ConditionTypes.CERTIFICATE_READY,
                    false,
                    CertificateReason.PENDING.wire(),
                    String.join("; ", certificatesPending)));
      }
      return conditions;
    }

    private Condition routeReady() {
      List<String> unserved = new ArrayList<>();
      for (RouteStatus route : routes) {
        if (!route.served()) {
          unserved.add(route.component() + "/" + route.route() + ": " + route.reason());
        }
      }
      if (unserved.isEmpty()) {
        return Conditions.of(
            ConditionTypes.ROUTE_READY, true, ConditionTypes.SERVED, "every route is served");
      }
      String reason =
          stopped
              ? ComponentPhase.STOPPED.readyReason()
              : !routeProblems.isEmpty()
                  ? routeProblems.iterator().next()
                  : ServiceConvergence.PROGRESSING.reason();
      return Conditions.of(ConditionTypes.ROUTE_READY, false, reason, String.join("; ", unserved));
    }

    /** The routes of its own the cluster holds: Ingresses and TLSRoutes. */
    private List<HasMetadata> ownRoutes() {
      List<HasMetadata> up = new ArrayList<>();
      for (HasMetadata object : held.values()) {
        if ((object instanceof Ingress || object instanceof TLSRoute)
            && ClusterLabels.ownedBy(object, owner)) {
          up.add(object);
        }
      }
      up.sort(BY_KIND_AND_NAME);
      return up;
    }

    /** The cluster's object at {@code desired}'s name, if it is this service's own. */
    private <T extends HasMetadata> T own(HasMetadata wanted, Class<T> type) {
      HasMetadata there = held.get(key(wanted));
      return type.isInstance(there) && ClusterLabels.ownedBy(there, owner)
          ? type.cast(there)
          : null;
    }

    /** Whether the cluster holds {@code wanted} as planned: its own, with the same hash. */
    private boolean current(HasMetadata wanted) {
      HasMetadata there = own(wanted, HasMetadata.class);
      return there != null && Objects.equals(ObjectHash.of(there), ObjectHash.of(wanted));
    }
  }

  /** A deterministic order for the reconciler and for tests. */
  private static final Comparator<HasMetadata> BY_KIND_AND_NAME =
      Comparator.comparing((HasMetadata o) -> o.getKind())
          .thenComparing(o -> o.getMetadata().getName());

  private static String key(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  private static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas; // Kubernetes' default
  }

  private static int readyReplicas(Deployment deployment) {
    Integer ready =
        deployment.getStatus() == null ? null : deployment.getStatus().getReadyReplicas();
    return ready == null ? 0 : ready;
  }

  /** Asked for 0 replicas, and none is left. */
  private static boolean scaledDown(Deployment deployment) {
    Integer left = deployment.getStatus() == null ? null : deployment.getStatus().getReplicas();
    return replicas(deployment) == 0 && (left == null || left == 0);
  }

  private static CertificateCondition readyCondition(Certificate certificate) {
    if (certificate.getStatus() == null || certificate.getStatus().getConditions() == null) {
      return null;
    }
    for (CertificateCondition condition : certificate.getStatus().getConditions()) {
      if (ConditionTypes.READY.equals(condition.getType())) {
        return condition;
      }
    }
    return null;
  }

  /** A {@code kubernetes.io/tls} Secret that holds a certificate and a key. */
  private static boolean tlsSecret(Secret secret) {
    if (secret == null || !"kubernetes.io/tls".equals(secret.getType())) {
      return false;
    }
    Map<String, String> data = secret.getData();
    return data != null
        && data.get("tls.crt") != null
        && !data.get("tls.crt").isEmpty()
        && data.get("tls.key") != null
        && !data.get("tls.key").isEmpty();
  }
}
