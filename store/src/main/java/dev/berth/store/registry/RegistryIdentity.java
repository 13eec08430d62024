package dev.berth.store.registry;

import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a registry is, and which workloads it owns. Berth labels every workload it creates with the
 * id of the registry that declared it; a registry only ever stops, replaces or removes workloads it
 * owns, so that a registry made anew (a lost file, another data directory) never removes what an
 * earlier one runs. A backup restored keeps the id, and so keeps the workloads.
 *
 * @param id a random UUID, made when the registry was
 * @param createdAt when it was made (or, for a registry from before identities, upgraded)
 * @param claimsUnlabelled whether it owns Berth's workloads that carry no registry id: true for a
 *     registry upgraded from before identities, which made them
 * @param adopted ids of other registries whose workloads the operator handed over to this one
 */
public record RegistryIdentity(
    String id, Instant createdAt, boolean claimsUnlabelled, Set<String> adopted) {

  /**
   * What stands for "no registry id" where one is expected: Berth's workloads made before registry
   * ids, which {@link IdentityStore#adopt} can hand over too.
   */
  public static final String UNLABELLED = "unlabelled";

  /** Requires the id and its creation time; copies the adopted ids. */
  public RegistryIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    adopted = Set.copyOf(adopted);
  }

  /**
   * Whether a workload of Berth's carrying {@code registryLabel} (null when it carries none) is
   * this registry's to manage.
   */
  public boolean owns(String registryLabel) {
    if (registryLabel == null || registryLabel.isEmpty()) {
      return claimsUnlabelled;
    }
    return id.equals(registryLabel) || adopted.contains(registryLabel);
  }

  RegistryIdentity adopting(String other) {
    if (other.equals(UNLABELLED)) {
      return new RegistryIdentity(id, createdAt, true, adopted);
    }
    Set<String> more = new HashSet<>(adopted);
    more.add(other);
    return new RegistryIdentity(id, createdAt, claimsUnlabelled, more);
  }
}
