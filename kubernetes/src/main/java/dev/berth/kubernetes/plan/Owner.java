package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthService;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Objects;

/**
 * The BerthService a plan is for: where its objects go, whose ownerReference they carry, and the
 * generation of its spec.
 *
 * @param namespace the namespace of the BerthService and of every object planned for it
 * @param name the service's name
 * @param uid the BerthService's uid, which its objects' ownerReferences name
 * @param generation {@code metadata.generation}: status's observedGeneration, and objects' {@code
 *     berth.dev/generation} label
 */
public record Owner(String namespace, String name, String uid, long generation) {

  public Owner {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
  }

  public static Owner of(BerthService resource) {
    Long generation = resource.getMetadata().getGeneration();
    return new Owner(
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        resource.getMetadata().getUid(),
        generation == null ? 0 : generation);
  }

  /**
   * The ownerReference of every object planned for it: the controller, so that Kubernetes deletes
   * the objects with it, and blocking its deletion until they are gone.
   */
  public OwnerReference reference() {
    OwnerReference reference = new OwnerReference();
    reference.setApiVersion(BerthService.API_VERSION);
    reference.setKind(BerthService.KIND);
    reference.setName(name);
    reference.setUid(uid);
    reference.setController(true);
    reference.setBlockOwnerDeletion(true);
    return reference;
  }
}
