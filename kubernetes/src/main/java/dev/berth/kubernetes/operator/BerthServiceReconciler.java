package dev.berth.kubernetes.operator;

import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.StageListener;
import dev.berth.kubernetes.plan.CertificateRequest;
import dev.berth.kubernetes.plan.CleanupPlan;
import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.plan.KubernetesPlan;
import dev.berth.kubernetes.plan.KubernetesPlanner;
import dev.berth.kubernetes.plan.ObjectNames;
import dev.berth.kubernetes.plan.ObjectRef;
import dev.berth.kubernetes.plan.ObservedObjects;
import dev.berth.kubernetes.plan.Owner;
import dev.berth.kubernetes.plan.PlanInput;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceStatus.RouteStatus;
import dev.berth.kubernetes.stage.ClusterStage;
import dev.berth.kubernetes.stage.ClusterStages;
import dev.berth.kubernetes.stage.ServiceKey;
import dev.berth.spec.model.RouteMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciler of BerthServices: observe, plan, act, and nothing more. It observes the objects
 * labelled for the service (from the informers' caches) and whatever holds a name its plan needs;
 * asks the pure {@link KubernetesPlanner} what to write, delete and report; writes exactly that
 * with plain create, replace and delete (no server-side apply); and patches the status only when it
 * differs. An idle service therefore costs no request at all.
 *
 * <p>Objects that are not its own (see {@link ClusterLabels#ownedBy}) are never written or deleted:
 * the planner reports them as a NameConflict instead. An invalid or refused spec writes nothing but
 * the status. A service its boot stage holds writes nothing and is looked at again later; no thread
 * waits.
 *
 * <p>Deleting a BerthService runs {@link #cleanup}: its routes are deleted first, then its other
 * objects, as well as their ownerReferences would have the cluster's garbage collector do.
 */
public final class BerthServiceReconciler
    implements Reconciler<BerthService>, Cleaner<BerthService> {

  private static final System.Logger LOG = System.getLogger(BerthServiceReconciler.class.getName());

  /** How soon a service is looked at again after its objects were written or deleted. */
  static final java.time.Duration AFTER_WRITES = java.time.Duration.ZERO;

  private final KubernetesClient client;
  private final KubernetesPlanner planner;
  private final Set<Class<? extends HasMetadata>> served;
  private final List<ClusterStage> stages;
  private final Clock clock;
  private final TlsIssuer issuer;
  private final java.time.Duration resync;
  private final OwnedInformers informers = new OwnedInformers();
  private volatile OrderedStages<ServiceKey> gate;

  /**
   * @param served the kinds whose API the cluster serves (see {@link #servedKinds})
   * @param issuer issues l7 routes' certificates where the planner's certificates source is
   *     local-ca (required then), else null
   * @param resync the controller's resync interval: a plan's later requeue (a certificate's renewal
   *     weeks away) is cut to it, since a reschedule replaces JOSDK's resync of the service
   */
  BerthServiceReconciler(
      KubernetesClient client,
      KubernetesPlanner planner,
      Set<Class<? extends HasMetadata>> served,
      List<ClusterStage> stages,
      Clock clock,
      TlsIssuer issuer,
      java.time.Duration resync) {
    this.client = Objects.requireNonNull(client, "client");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.served = Set.copyOf(served);
    this.stages = List.copyOf(stages);
    this.clock = Objects.requireNonNull(clock, "clock");
    if (planner.config().certificates().issuesOwn() && issuer == null) {
      throw new IllegalArgumentException(
          "certificates from the operator's own issuer (local-ca) need a TlsIssuer");
    }
    this.issuer = issuer;
    this.resync = Objects.requireNonNull(resync, "resync");
  }

  /**
   * The kinds of {@link ClusterAccess#OWNED} that {@code client}'s cluster serves: the built-in
   * ones, and each optional one whose CustomResourceDefinition is installed and serves the version
   * the planner writes. The CRD is asked rather than API discovery, which the mock API server of
   * the tests answers for any group.
   */
  static Set<Class<? extends HasMetadata>> servedKinds(KubernetesClient client) {
    Set<Class<? extends HasMetadata>> served = new java.util.LinkedHashSet<>();
    for (ClusterAccess.OwnedKind kind : ClusterAccess.OWNED) {
      if (!kind.optional() || crdServes(client, kind.type())) {
        served.add(kind.type());
      }
    }
    return served;
  }

  private static boolean crdServes(KubernetesClient client, Class<? extends HasMetadata> type) {
    var crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(HasMetadata.getFullResourceName(type))
            .get();
    return crd != null
        && crd.getSpec().getVersions().stream()
            .anyMatch(
                v ->
                    v.getName().equals(HasMetadata.getVersion(type))
                        && Boolean.TRUE.equals(v.getServed()));
  }

  @Override
  public List<EventSource<?, BerthService>> prepareEventSources(
      EventSourceContext<BerthService> context) {
    gate =
        ClusterStages.gate(
            stages,
            () -> context.getPrimaryCache().list().toList(),
            dev.berth.core.time.Clock.system(),
            StageListener.NONE);
    return informers.prepare(context, served);
  }

  @Override
  public UpdateControl<BerthService> reconcile(
      BerthService service, Context<BerthService> context) {
    Owner owner = Owner.of(service);
    Map<String, HasMetadata> observed = new HashMap<>();
    informers.labelledFor(service).forEach(o -> observed.put(key(o), o));
    ownSecrets(service).forEach(o -> observed.put(key(o), o));
    Map<String, String> issueFailures = new HashMap<>();
    KubernetesPlan plan = plan(service, observed, issueFailures);
    // Whatever holds a name the plan needs, labelled for another service or not labelled at all,
    // must be seen before anything is written: it is a conflict, never something to write over.
    if (lookUpNames(owner, plan, observed)) {
      plan = plan(service, observed, issueFailures);
    }
    if (plan.kind() == KubernetesPlan.Kind.CONVERGE && !plan.certificates().isEmpty()) {
      // Certificates first: the routes' Ingresses follow in the plan that sees their Secrets.
      issue(owner, plan.certificates(), observed, issueFailures);
      plan = plan(service, observed, issueFailures);
      if (lookUpNames(owner, plan, observed)) {
        plan = plan(service, observed, issueFailures);
      }
    }
    if (plan.kind() == KubernetesPlan.Kind.CONVERGE) {
      for (HasMetadata object : plan.writes()) {
        write(object, observed.get(key(object)));
      }
      for (HasMetadata object : plan.deletions()) {
        delete(object);
      }
    }
    UpdateControl<BerthService> control;
    if (Objects.equals(service.getStatus(), plan.status())) {
      control = UpdateControl.noUpdate();
    } else {
      control = UpdateControl.patchStatus(statusPatch(service, plan));
    }
    if (!plan.writes().isEmpty()) {
      // The informers do not report the operator's own writes back (their cache has them at once),
      // so no event would come to report what was written: look again now, from that cache. A
      // deletion needs none of this: its watch event comes back and reconciles the service.
      control.rescheduleAfter(AFTER_WRITES);
    } else if (plan.requeueAfter() != null) {
      control.rescheduleAfter(
          plan.requeueAfter().compareTo(resync) < 0 ? plan.requeueAfter() : resync);
    }
    return control;
  }

  private KubernetesPlan plan(
      BerthService service, Map<String, HasMetadata> observed, Map<String, String> issueFailures) {
    ObservedObjects objects =
        ObservedObjects.none()
            .withTlsRouteApi(served.contains(TLSRoute.class))
            .with(observed.values().toArray(HasMetadata[]::new))
            .with(informers.watchedFor(service).toArray(HasMetadata[]::new));
    for (Map.Entry<String, String> failure : issueFailures.entrySet()) {
      objects = objects.withIssueFailure(failure.getKey(), failure.getValue());
    }
    return planner.plan(
        PlanInput.of(service, objects, gate.admit(ServiceKey.of(service)), clock.instant()));
  }

  /**
   * Adds to {@code observed} the objects at the names {@code plan} needs that it does not hold yet:
   * from the caches (labelled for any service), else from the API server (labelled for none), and
   * the certificate Secrets of l7 routes when someone else writes them. Returns whether it added
   * any.
   */
  private boolean lookUpNames(Owner owner, KubernetesPlan plan, Map<String, HasMetadata> observed) {
    boolean added = false;
    for (ObjectRef wanted : plan.desired()) {
      Class<? extends HasMetadata> type = ClusterAccess.ownedKind(wanted.kind());
      if (!observed.containsKey(wanted.kind() + "/" + wanted.name())) {
        Optional<HasMetadata> there =
            informers
                .cached(type, owner.namespace(), wanted.name())
                .or(() -> get(type, owner.namespace(), wanted.name()));
        if (there.isPresent()) {
          observed.put(key(there.get()), there.get());
          added = true;
        }
      }
    }
    if (!planner.config().certificates().usesCertManager() && plan.status().routes() != null) {
      for (RouteStatus route : plan.status().routes()) {
        if (RouteMode.L7.wire().equals(route.mode())) {
          String name = ObjectNames.route(owner.name(), route.component(), route.route());
          Optional<HasMetadata> secret = get(Secret.class, owner.namespace(), name);
          if (secret.isPresent() && !observed.containsKey(key(secret.get()))) {
            observed.put(key(secret.get()), secret.get());
            added = true;
          }
        }
      }
    }
    return added;
  }

  /**
   * Has the operator's issuer issue each requested certificate, and writes it into its route's
   * Secret (created, or replaced: the planner asks only for Secrets of its own); a failed issue is
   * kept in {@code failures}, by Secret name, for the plan's status. No retry here: the plan asks
   * to look again.
   */
  private void issue(
      Owner owner,
      List<CertificateRequest> requests,
      Map<String, HasMetadata> observed,
      Map<String, String> failures) {
    for (CertificateRequest request : requests) {
      TlsIssuer.Issued issued;
      try {
        issued = issuer.issue(request.dnsNames());
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.log(
            System.Logger.Level.WARNING,
            "could not issue the certificate of {0} in {1}: {2}",
            request.secretName(),
            owner.namespace(),
            message);
        failures.put(request.secretName(), message);
        continue;
      }
      Secret secret =
          request.secret(
              owner, issued.certificateChainPem(), issued.privateKeyPem(), issued.notAfter());
      LOG.log(
          System.Logger.Level.INFO,
          "issued the certificate of {0} in {1} for {2}, valid until {3}: {4}",
          request.secretName(),
          owner.namespace(),
          request.dnsNames(),
          issued.notAfter(),
          request.why());
      observed.put(key(secret), write(secret, observed.get(key(secret))));
    }
  }

  /**
   * With certificates from the operator's own issuer (local-ca), the Secrets labelled for {@code
   * service}: not watched, so listed, to delete those of removed routes and of a deleted service.
   * Else none (Secrets of others are read by name only).
   */
  private List<Secret> ownSecrets(BerthService service) {
    if (!planner.config().certificates().issuesOwn()) {
      return List.of();
    }
    return client
        .secrets()
        .inNamespace(service.getMetadata().getNamespace())
        .withLabel(ClusterLabels.SERVICE, service.getMetadata().getName())
        .list()
        .getItems();
  }

  private Optional<HasMetadata> get(
      Class<? extends HasMetadata> type, String namespace, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }

  /**
   * Creates {@code wanted}, or replaces {@code there} (its own, else the plan would not say so).
   */
  private HasMetadata write(HasMetadata wanted, HasMetadata there) {
    HasMetadata written;
    if (there == null) {
      written = client.resource(wanted).create();
    } else {
      wanted.getMetadata().setResourceVersion(there.getMetadata().getResourceVersion());
      written = client.resource(wanted).update();
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () ->
            (there == null ? "created " : "replaced ") + key(wanted) + " in " + namespace(wanted));
    informers.written(written, there);
    return written;
  }

  private void delete(HasMetadata object) {
    client
        .resource(object)
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
        .delete();
  }

  /** A BerthService holding only what the status patch needs: its name and the new status. */
  private static BerthService statusPatch(BerthService service, KubernetesPlan plan) {
    BerthService patch = new BerthService();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(service.getMetadata().getName())
            .withNamespace(service.getMetadata().getNamespace())
            .withResourceVersion(service.getMetadata().getResourceVersion())
            .build());
    patch.setStatus(plan.status());
    return patch;
  }

  /**
   * Deletes the BerthService's own objects as the planner's {@link CleanupPlan} says: routes first,
   * then the rest; objects that are not its own stay. The finalizer goes once none is left.
   */
  @Override
  public DeleteControl cleanup(BerthService service, Context<BerthService> context) {
    ObservedObjects observed =
        ObservedObjects.none()
            .withTlsRouteApi(served.contains(TLSRoute.class))
            .with(informers.labelledFor(service).toArray(HasMetadata[]::new));
    observed = observed.with(ownSecrets(service).toArray(HasMetadata[]::new));
    CleanupPlan cleanup = planner.cleanup(Owner.of(service), observed);
    cleanup.deletions().forEach(this::delete);
    if (cleanup.complete()) {
      return DeleteControl.defaultDelete();
    }
    DeleteControl control = DeleteControl.noFinalizerRemoval();
    return cleanup.requeueAfter() == null
        ? control
        : control.rescheduleAfter(cleanup.requeueAfter());
  }

  private static String key(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  private static String namespace(HasMetadata object) {
    return object.getMetadata().getNamespace();
  }
}
