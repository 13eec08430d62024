package dev.berth.reconcilers.observe;

import dev.berth.spec.identity.Labels;
import dev.berth.store.registry.RegistryIdentity;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which workloads this node's registry manages: those with Berth's labels and its registry's id (or
 * the id of a registry it adopted). Everything else is only reported, never stopped, replaced or
 * removed: a workload without Berth's labels (principle 7), and one another registry made, so that
 * a registry made anew (a lost file, another data directory) never takes a running node's workloads
 * for undeclared ones.
 */
public final class Ownership {

  private final Supplier<RegistryIdentity> identity;

  /**
   * @param identity the registry's identity, read at each question (adoptions change it)
   */
  public Ownership(Supplier<RegistryIdentity> identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  /** Whether the workload with these labels is this registry's to manage. */
  public boolean owns(Map<String, String> labels) {
    return Labels.managed(labels) && identity.get().owns(labels.get(Labels.REGISTRY));
  }

  /**
   * Who made a workload this registry does not own, for its report: null if not Berth; else the id
   * of the registry that made it, or {@link RegistryIdentity#UNLABELLED} if it carries none (made
   * by a Berth older than registry ids).
   */
  public static String maker(Map<String, String> labels) {
    if (!Labels.managed(labels)) {
      return null;
    }
    String registry = labels.get(Labels.REGISTRY);
    return registry == null || registry.isEmpty() ? RegistryIdentity.UNLABELLED : registry;
  }
}
