package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/**
 * The labels and annotation that give a cluster object its identity, the cluster's spelling of the
 * node's {@code dev.berth.spec.identity.Labels}: objects are found by these, never by parsing a
 * name.
 */
public final class ClusterLabels {

  /** The service an object belongs to (the node's {@code berth.service}). */
  public static final String SERVICE = "berth.dev/service";

  /** The component of that service (the node's {@code berth.component}). */
  public static final String COMPONENT = "berth.dev/component";

  /** The route of that component, on a route's objects (Ingress, TLSRoute, Certificate). */
  public static final String ROUTE = "berth.dev/route";

  /**
   * On a Deployment and its pods: the hash of the component's spec (the node's {@code
   * berth.spec-hash}); a different one means the pods run another spec.
   */
  public static final String SPEC_HASH = "berth.dev/spec-hash";

  /** The BerthService generation the object was last written for (the node's generation). */
  public static final String GENERATION = "berth.dev/generation";

  /**
   * The annotation on every object the planner writes: the hash of everything it wrote, so that an
   * object is written again only when this differs from what the cluster holds.
   */
  public static final String OBJECT_HASH = "berth.dev/object-hash";

  /**
   * On a certificate Secret the operator wrote itself: the names its certificate covers,
   * comma-separated, so that the planner sees a hostname change without parsing the certificate.
   */
  public static final String CERTIFICATE_NAMES = "berth.dev/certificate-names";

  /**
   * On a certificate Secret the operator wrote itself: its certificate's notAfter (ISO-8601), so
   * that the planner sees when to issue it again without parsing the certificate.
   */
  public static final String CERTIFICATE_NOT_AFTER = "berth.dev/certificate-not-after";

  private ClusterLabels() {}

  /**
   * Whether {@code object} is this BerthService's own: controlled by it (an ownerReference with its
   * uid and {@code controller: true}) and labelled with its service. Only its own objects are ever
   * written over or deleted; anything else at a name it needs is a name conflict.
   */
  public static boolean ownedBy(HasMetadata object, Owner owner) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null || !owner.name().equals(labels.get(SERVICE))) {
      return false;
    }
    if (object.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    for (OwnerReference reference : object.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(reference.getController())
          && BerthService.KIND.equals(reference.getKind())
          && owner.uid().equals(reference.getUid())) {
        return true;
      }
    }
    return false;
  }

  /** Who holds a name this service needs, in words for a NameConflict message. */
  public static String holder(HasMetadata object) {
    if (object.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference reference : object.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(reference.getController())) {
          return "controlled by " + reference.getKind() + " " + reference.getName();
        }
      }
    }
    Map<String, String> labels = object.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE);
    return service == null
        ? "not Berth's (no controller and no " + SERVICE + " label)"
        : "labelled for service " + service + " but controlled by no BerthService";
  }
}
