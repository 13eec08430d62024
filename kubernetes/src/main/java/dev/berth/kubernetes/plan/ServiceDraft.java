package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.ComponentStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import dev.berth.kubernetes.resource.BerthServiceStatus.RouteStatus;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.CertificateReason;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The desired objects (as kind, name and hash), the diff against the cluster, and what status says
 * of each part. An object is built only when the cluster does not hold it with its hash.
 */
final class ServiceDraft {

  static final String CERTIFICATE = "waiting for its certificate: ";
  static final String STOPPED = "the service is stopped";
  static final String NO_TLSROUTE_API =
      "the cluster has no TLSRoute API (gateway.networking.k8s.io/v1alpha2): an l4 route needs"
          + " Gateway API's TLSRoute and a Gateway that passes TLS through";

  final List<ObjectRef> desired = new ArrayList<>();
  final List<HasMetadata> writes = new ArrayList<>();
  final List<HasMetadata> deletions = new ArrayList<>();
  final List<ComponentStatus> components = new ArrayList<>();
  final List<RouteStatus> routes = new ArrayList<>();
  final List<String> conflicts = new ArrayList<>();

  /** What keeps the service from being what was declared, for Ready's message. */
  final List<String> waits = new ArrayList<>();

  /**
   * The components whose state is a failure (waiting will not help), in the node's words ({@code
   * web: ImageMissing (...)}): Ready is then {@code Failed}, and says these.
   */
  final List<String> failures = new ArrayList<>();

  final List<String> certificatesPending = new ArrayList<>();

  /**
   * Certificates the operator's own issuer could not issue again while the route's current one is
   * still valid: CertificateReady says so, and the route stays served until the old one expires.
   */
  final List<String> renewalFailures = new ArrayList<>();

  /** Whether an issue by the operator's own issuer failed: CertificateReady's reason then. */
  boolean issueFailed;

  /** The certificates the operator's own issuer is to issue now (certificates source local-ca). */
  final List<CertificateRequest> issues = new ArrayList<>();

  /** The certificate Secrets of its l7 routes the operator's own issuer writes (local-ca). */
  private final List<String> ownSecrets = new ArrayList<>();

  /** How soon the first certificate of the operator's own issuer enters its renewal window. */
  private Duration nextRenewal;

  final Set<String> routeProblems = new LinkedHashSet<>();
  boolean anyRoute;
  boolean anyL7;
  final boolean stopped;
  Duration requeueAfter;

  private final OperatorConfig config;
  private final Owner owner;
  private final ObservedObjects observed;
  private final BerthServiceStatus previous;
  private final Instant now;
  private final Map<String, HasMetadata> held = new HashMap<>();

  /** Stopping with routes still up: only their deletion is planned, nothing is written. */
  private final boolean withdrawing;

  ServiceDraft(OperatorConfig config, PlanInput input, ServiceSpec spec) {
    this.config = config;
    this.owner = input.owner();
    this.observed = input.observed();
    this.previous = input.previous();
    this.now = input.now();
    this.stopped = spec.desiredState() == DesiredState.STOPPED;
    for (HasMetadata object : observed.all()) {
      String namespace = object.getMetadata().getNamespace();
      if (namespace == null || namespace.equals(owner.namespace())) {
        held.put(key(object.getKind(), object.getMetadata().getName()), object);
      }
    }
    // Stopping: routes go first, and nothing else moves until they are gone.
    List<HasMetadata> routesUp = stopped ? ownRoutes() : List.of();
    withdrawing = !routesUp.isEmpty();
    for (ComponentSpec component : spec.components()) {
      planComponent(spec, component);
    }
    if (withdrawing) {
      writes.clear();
      deletions.addAll(routesUp);
      requeueAfter = config.routeWithdrawalRecheck();
      return;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (ObjectRef ref : desired) {
      wanted.add(key(ref.kind(), ref.name()));
    }
    for (String secret : ownSecrets) {
      wanted.add(key("Secret", secret));
    }
    for (HasMetadata object : held.values()) {
      // A Secret is the operator's to delete only when its own issuer wrote it (local-ca).
      boolean keptSecret = object instanceof Secret && !config.certificates().issuesOwn();
      if (!wanted.contains(key(object.getKind(), object.getMetadata().getName()))
          && ClusterLabels.ownedBy(object, owner)
          && !keptSecret) {
        deletions.add(object);
      }
    }
    deletions.sort(BY_KIND_AND_NAME);
    if ((!certificatesPending.isEmpty() || !renewalFailures.isEmpty())
        && !config.certificates().usesCertManager()) {
      // A Secret of someone else's sends no event, and a failed issue is tried again this late.
      requeueAfter = config.noEventRecheck();
    }
    if (nextRenewal != null && (requeueAfter == null || nextRenewal.compareTo(requeueAfter) < 0)) {
      requeueAfter = nextRenewal;
    }
  }

  /**
   * Wants the object of {@code kind} and {@code name} with {@code hash}: notes a name conflict when
   * a stranger holds the name, and builds it for writing unless the cluster holds it with that
   * hash. Returns whether the cluster holds it as wanted.
   */
  private boolean want(
      String kind, String name, String hash, Supplier<? extends HasMetadata> build) {
    desired.add(new ObjectRef(kind, name, hash));
    HasMetadata there = held.get(key(kind, name));
    if (there != null && !ClusterLabels.ownedBy(there, owner)) {
      conflicts.add(kind + " " + name + " is " + ClusterLabels.holder(there));
      return false;
    }
    if (there != null && hash.equals(ObjectHash.of(there))) {
      return true;
    }
    writes.add(ObjectHash.stamp(build.get(), hash, owner.generation()));
    return false;
  }

  private void planComponent(ServiceSpec spec, ComponentSpec c) {
    Map<String, Integer> routePorts = RoutePorts.of(c, config);
    String specHash = ComponentHash.of(spec.node(), c, routePorts);
    String name = ObjectNames.component(owner.name(), c.name());
    int replicas = stopped ? 0 : 1;
    want(
        "Deployment",
        name,
        DesiredObjects.deploymentHash(owner, specHash, replicas, Rollout.of(c)),
        () -> DesiredObjects.deployment(owner, spec.node(), c, routePorts, specHash, replicas));
    if (!c.routes().isEmpty()) {
      want(
          "Service",
          name,
          DesiredObjects.serviceHash(owner, c, routePorts),
          () -> DesiredObjects.service(owner, c, routePorts));
    }
    ComponentStatus status =
        componentStatus(c, specHash, own("Deployment", name, Deployment.class));
    components.add(status);
    boolean failed =
        ComponentState.ofWire(status.state()).map(ComponentState::failure).orElse(false);
    if (failed) {
      failures.add(c.name() + ": " + status.state() + " (" + status.message() + ")");
    } else if (!Boolean.TRUE.equals(status.ready())
        && !(stopped && ComponentPhase.STOPPED.wire().equals(status.state()))) {
      waits.add(c.name() + ": " + status.message());
    }
    for (RouteSpec route : c.routes()) {
      planRoute(c, route, routePorts.get(route.name()));
    }
  }

  /**
   * The component as its Deployment shows it; while the Deployment runs the current spec but no
   * replica is ready, its pods say why ({@link PodStates}: an image that cannot be pulled, a crash
   * loop, no node that takes it), else it is starting.
   */
  private ComponentStatus componentStatus(ComponentSpec c, String specHash, Deployment there) {
    ComponentState state;
    String message = null;
    if (stopped) {
      if (withdrawing) {
        state = ComponentPhase.STOPPING;
        message = "its routes are being removed before its Deployment goes to 0 replicas";
      } else if (there == null || scaledDown(there)) {
        state = ComponentPhase.STOPPED;
      } else {
        state = ComponentPhase.STOPPING;
        message = "its Deployment is going to 0 replicas";
      }
    } else if (there == null) {
      state = ComponentPhase.CREATING;
      message = "its Deployment is being created";
    } else if (!specHash.equals(label(there, ClusterLabels.SPEC_HASH))) {
      state = ComponentPhase.REPLACING;
      message = "the spec changed";
    } else if (replicas(there) >= 1 && rollingOut(there)) {
      // Beside, the old pod stays ready until the new one is: its readiness is not the new spec's.
      state = ComponentPhase.REPLACING;
      Optional<PodStates.Finding> found =
          PodStates.of(
              observed.pods(), owner, c.name(), specHash, c.image(), previousStatus(c.name()));
      message =
          deadlineExceeded(there)
              ? "its new pod did not become ready within update.deadline"
                  + " (ProgressDeadlineExceeded); the old one keeps serving"
              : found
                  .map(f -> "its new pod: " + f.message() + "; the old one keeps serving")
                  .orElse("its new pod is starting beside the old one");
    } else if (readyReplicas(there) >= 1 && replicas(there) >= 1) {
      state = ComponentPhase.RUNNING;
    } else {
      Optional<PodStates.Finding> found =
          PodStates.of(
              observed.pods(), owner, c.name(), specHash, c.image(), previousStatus(c.name()));
      state = found.map(PodStates.Finding::state).orElse(ComponentPhase.STARTING);
      message =
          found.isPresent()
              ? found.get().message()
              : c.health() == null
                  ? "its pod is not ready yet"
                  : "its pod does not pass its readiness probe yet";
    }
    return new ComponentStatus(
        c.name(),
        c.runtime().wire(),
        state.wire(),
        state.ready(),
        state.readyReason(),
        state.terminal(),
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
        String secretName = DesiredObjects.secretName(owner, c, route);
        boolean current =
            want(
                "Ingress",
                ObjectNames.route(owner.name(), c.name(), route.name()),
                DesiredObjects.ingressHash(owner, c, route, containerPort, secretName, config),
                () -> DesiredObjects.ingress(owner, c, route, containerPort, secretName, config));
        reason = current ? null : "its Ingress is being written";
      }
    } else if (stopped) {
      reason = STOPPED;
    } else if (!observed.tlsRouteApi()) {
      reason = NO_TLSROUTE_API;
      routeProblems.add(ConditionTypes.NO_PASSTHROUGH_GATEWAY);
    } else {
      boolean current =
          want(
              "TLSRoute",
              ObjectNames.route(owner.name(), c.name(), route.name()),
              DesiredObjects.tlsRouteHash(owner, c, route, containerPort, config),
              () -> DesiredObjects.tlsRoute(owner, c, route, containerPort, config));
      reason = current ? null : "its TLSRoute is being written";
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
    if (source.issuesOwn()) {
      return ownCertificate(c, route, secretName, source.renewBefore());
    }
    if (!source.usesCertManager()) {
      Secret secret = own("Secret", secretName, Secret.class, false);
      return tlsSecret(secret)
          ? null
          : "no kubernetes.io/tls Secret "
              + secretName
              + " with tls.crt and tls.key yet (certificates come from existing Secrets)";
    }
    boolean current =
        want(
            "Certificate",
            secretName,
            DesiredObjects.certificateHash(owner, c, route, source.issuer()),
            () -> DesiredObjects.certificate(owner, c, route, source.issuer()));
    Certificate there = own("Certificate", secretName, Certificate.class);
    if (there == null || !current) {
      return "its cert-manager Certificate is being written";
    }
    CertificateCondition ready = readyCondition(there);
    if (ready == null || !Conditions.TRUE.equals(ready.getStatus())) {
      return "cert-manager has not issued it yet"
          + (ready == null || ready.getMessage() == null ? "" : " (" + ready.getMessage() + ")");
    }
    return null;
  }

  /**
   * Plans the certificate the operator's own issuer writes into the route's Secret: issued when the
   * Secret is missing, holds no certificate of the operator's, covers other names than the route's
   * hostname, or enters its renewal window ({@code renewBefore} its expiry). A Secret that is not
   * its own is a name conflict, never written over. Returns why the route cannot be served yet, or
   * null; while the current certificate is valid the route stays served, even as it is issued
   * again.
   */
  private String ownCertificate(
      ComponentSpec c, RouteSpec route, String secretName, Duration renewBefore) {
    ownSecrets.add(secretName);
    HasMetadata there = held.get(key("Secret", secretName));
    if (there != null && !ClusterLabels.ownedBy(there, owner)) {
      conflicts.add("Secret " + secretName + " is " + ClusterLabels.holder(there));
      return "its Secret " + secretName + " is not the operator's own";
    }
    Secret secret = (Secret) there;
    List<String> names = List.of(route.hostname());
    String covered = annotation(secret, ClusterLabels.CERTIFICATE_NAMES);
    Instant notAfter = instant(annotation(secret, ClusterLabels.CERTIFICATE_NOT_AFTER));
    boolean issued = tlsSecret(secret) && covered != null && notAfter != null;
    boolean forRoute = issued && covered.equals(String.join(",", names));
    boolean valid = forRoute && notAfter.isAfter(now);
    Instant renewAt = valid ? notAfter.minus(renewBefore) : null;
    String why;
    if (secret == null) {
      why = "it has no Secret yet";
    } else if (!issued) {
      why = "its Secret holds no certificate the operator issued";
    } else if (!forRoute) {
      why = "its Secret's certificate is for " + covered;
    } else if (!valid) {
      why = "its certificate expired at " + notAfter;
    } else if (!now.isBefore(renewAt)) {
      why = "its certificate expires at " + notAfter + ", within " + renewBefore;
    } else {
      Duration untilRenewal = Duration.between(now, renewAt);
      if (nextRenewal == null || untilRenewal.compareTo(nextRenewal) < 0) {
        nextRenewal = untilRenewal;
      }
      return null;
    }
    issues.add(new CertificateRequest(secretName, c.name(), route.name(), names, why));
    String failure = observed.issueFailures().get(secretName);
    if (failure != null) {
      issueFailed = true;
    }
    if (valid) {
      if (failure != null) {
        renewalFailures.add(
            route.hostname()
                + ": the operator's issuer could not issue it again ("
                + failure
                + "); the current certificate serves until "
                + notAfter);
      }
      return null;
    }
    return failure != null
        ? "the operator's issuer could not issue it: " + failure
        : "the operator's issuer is issuing it (" + why + ")";
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
            ConditionTypes.ADMITTED, true, ConditionTypes.ACCEPTED, "no boot stage holds it back"));
    conditions.add(ready);
    if (anyRoute) {
      conditions.add(routeReady());
    }
    if (anyL7) {
      List<String> problems = new ArrayList<>(certificatesPending);
      problems.addAll(renewalFailures);
      conditions.add(
          problems.isEmpty()
              ? Conditions.of(
                  ConditionTypes.CERTIFICATE_READY,
                  true,
                  CertificateReason.ISSUED.wire(),
                  "every l7 route has its certificate")
              : Conditions.of(
                  ConditionTypes.CERTIFICATE_READY,
                  false,
                  (issueFailed ? CertificateReason.ISSUANCE_FAILED : CertificateReason.PENDING)
                      .wire(),
                  String.join("; ", problems)));
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

  /** The component's status as last written, or null. */
  private ComponentStatus previousStatus(String component) {
    if (previous == null || previous.components() == null) {
      return null;
    }
    for (ComponentStatus status : previous.components()) {
      if (status != null && component.equals(status.name())) {
        return status;
      }
    }
    return null;
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

  /** The cluster's object of {@code kind} at {@code name}, if it is this service's own. */
  private <T extends HasMetadata> T own(String kind, String name, Class<T> type) {
    return own(kind, name, type, true);
  }

  /**
   * The cluster's object of {@code kind} at {@code name}; with {@code ownOnly}, only if it is this
   * service's own (a Secret someone else writes is not).
   */
  private <T extends HasMetadata> T own(String kind, String name, Class<T> type, boolean ownOnly) {
    HasMetadata there = held.get(key(kind, name));
    return type.isInstance(there) && (!ownOnly || ClusterLabels.ownedBy(there, owner))
        ? type.cast(there)
        : null;
  }

  /** A deterministic order for the reconciler and for tests. */
  static final Comparator<HasMetadata> BY_KIND_AND_NAME =
      Comparator.comparing((HasMetadata o) -> o.getKind())
          .thenComparing(o -> o.getMetadata().getName());

  private static String key(String kind, String name) {
    return kind + "/" + name;
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

  /**
   * Whether the Deployment's controller still replaces its pods: it has not seen the current
   * template yet, or pods of an older template are left (beside, the old one serves meanwhile). As
   * {@code kubectl rollout status} reads it; an API server leaves out a count of 0.
   */
  private static boolean rollingOut(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    if (status == null) {
      return false; // nothing observed yet: no pod, old or new
    }
    Long generation = deployment.getMetadata().getGeneration();
    if (generation != null
        && status.getObservedGeneration() != null
        && status.getObservedGeneration() < generation) {
      return true;
    }
    int all = status.getReplicas() == null ? 0 : status.getReplicas();
    int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    return all > updated;
  }

  /** The Deployment says its rollout passed its progressDeadlineSeconds. */
  private static boolean deadlineExceeded(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    "Progressing".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "ProgressDeadlineExceeded".equals(c.getReason()));
  }

  /** Asked for 0 replicas, and none is left. */
  private static boolean scaledDown(Deployment deployment) {
    Integer left = deployment.getStatus() == null ? null : deployment.getStatus().getReplicas();
    return replicas(deployment) == 0 && (left == null || left == 0);
  }

  private static String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object == null ? null : object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /** The instant {@code text} says, or null when it says none. */
  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
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
    if (secret == null || !DesiredObjects.TLS_SECRET_TYPE.equals(secret.getType())) {
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
