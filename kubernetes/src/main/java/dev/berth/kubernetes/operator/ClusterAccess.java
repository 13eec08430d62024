package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.resource.BerthService;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Set;

/**
 * What the operator does with which kind, in one place: the reconciler builds its event sources and
 * its writes from {@link #OWNED}, and the RBAC manifest in deploy/kubernetes is checked against
 * {@link #rules()}, so that a kind the reconciler starts using without a rule fails a test rather
 * than a cluster.
 */
public final class ClusterAccess {

  /** What watching a kind through an informer needs. */
  static final Set<String> WATCH = Set.of("get", "list", "watch");

  /** What writing an object of its own needs: watch it, create, replace and delete it. */
  static final Set<String> WRITE = Set.of("get", "list", "watch", "create", "update", "delete");

  /**
   * A kind the operator writes for its BerthServices, watched by label.
   *
   * @param optional whether the cluster may lack its API (a CRD someone installs: cert-manager,
   *     Gateway API); the operator then neither watches nor writes it
   */
  record OwnedKind(Class<? extends HasMetadata> type, boolean optional) {}

  /** The kinds the planner writes, in the order a stopping service loses them. */
  static final List<OwnedKind> OWNED =
      List.of(
          new OwnedKind(Ingress.class, false),
          new OwnedKind(TLSRoute.class, true),
          new OwnedKind(Deployment.class, false),
          new OwnedKind(Service.class, false),
          new OwnedKind(Certificate.class, true));

  /**
   * The kinds the operator only watches, by the same label, to tell a service's status: the pods of
   * its Deployments (an image that cannot be pulled, a crash loop, no node to run on). Never
   * written.
   */
  static final List<Class<? extends HasMetadata>> WATCHED = List.of(Pod.class);

  /**
   * One RBAC rule's worth: an API group, a resource (or subresource, {@code berthservices/status})
   * and the verbs used on it.
   */
  public record Rule(String group, String resource, Set<String> verbs) {
    public Rule {
      verbs = Set.copyOf(verbs);
    }
  }

  private ClusterAccess() {}

  /** The type of the owned kind named {@code kind} ({@code Deployment}). */
  static Class<? extends HasMetadata> ownedKind(String kind) {
    for (OwnedKind owned : OWNED) {
      if (HasMetadata.getKind(owned.type()).equals(kind)) {
        return owned.type();
      }
    }
    throw new IllegalArgumentException("the operator writes no " + kind);
  }

  /** Every API group, resource and verb the operator uses. */
  public static List<Rule> rules() {
    List<Rule> rules = new java.util.ArrayList<>();
    String primary = HasMetadata.getPlural(BerthService.class);
    // Watched; a finalizer added and removed (an update of the resource); status patched.
    rules.add(
        new Rule(BerthService.GROUP, primary, Set.of("get", "list", "watch", "update", "patch")));
    rules.add(new Rule(BerthService.GROUP, primary + "/status", Set.of("get", "update", "patch")));
    for (OwnedKind kind : OWNED) {
      rules.add(
          new Rule(HasMetadata.getGroup(kind.type()), HasMetadata.getPlural(kind.type()), WRITE));
    }
    for (Class<? extends HasMetadata> kind : WATCHED) {
      rules.add(new Rule(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), WATCH));
    }
    // Certificate Secrets are not watched: read by name (an l7 route's, and whatever holds a name a
    // service needs); written and replaced where the operator's own issuer issues them (local-ca),
    // and listed by label and deleted with their BerthService.
    rules.add(
        new Rule(
            "",
            HasMetadata.getPlural(Secret.class),
            Set.of("get", "list", "create", "update", "delete")));
    // Whether cert-manager's and the Gateway API's CRDs are installed, read once at start.
    rules.add(
        new Rule(
            HasMetadata.getGroup(CustomResourceDefinition.class),
            HasMetadata.getPlural(CustomResourceDefinition.class),
            Set.of("get")));
    return List.copyOf(rules);
  }
}
