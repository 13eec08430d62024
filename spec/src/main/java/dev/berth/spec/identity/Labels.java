package dev.berth.spec.identity;

import java.util.Map;
import java.util.Objects;

/**
 * The labels that give a workload its identity. Berth finds what it created by these labels, never
 * by parsing a workload's name: {@code mc-proxy} is a service name, not "mc" plus "proxy".
 */
public final class Labels {

  /** The service a workload belongs to. */
  public static final String SERVICE = "berth.service";

  /** The component of that service. */
  public static final String COMPONENT = "berth.component";

  /** A hash of the component's spec: a different hash means the workload must be replaced. */
  public static final String SPEC_HASH = "berth.spec-hash";

  /** The service generation the workload was created from. */
  public static final String GENERATION = "berth.generation";

  /**
   * The id of the registry that declared it: a registry manages only its own workloads (and those
   * of registries it adopted), never another's. Not part of the spec hash.
   */
  public static final String REGISTRY = "berth.registry";

  /**
   * Which of its routes' two host ports a workload uses: {@code 1} for the spare ports, absent for
   * the first ones (as every workload made before spares existed). A workload replaced beside its
   * old one takes the slot the old does not use. Not part of the spec hash: the ports are.
   */
  public static final String SLOT = "berth.slot";

  /**
   * When Berth created a workload beside an old one (ISO-8601): its update deadline counts from
   * here, whatever restarts it had, and across restarts of the agent. Not part of the spec hash.
   */
  public static final String CREATED = "berth.created";

  private Labels() {}

  /** Whether Berth created it; anything else is only ever adopted as ignored, never touched. */
  public static boolean managed(Map<String, String> labels) {
    return labels.containsKey(SERVICE) && labels.containsKey(COMPONENT);
  }

  /**
   * Who holds a name that a new workload wanted, in words for a NAME_IN_USE failure; or null when
   * it is the same registry's own workload (one on its way out, which a retry gets past).
   *
   * @param holder the labels of the workload holding the name
   * @param wanted the labels of the workload that was to be created
   */
  public static String strangerHolding(Map<String, String> holder, Map<String, String> wanted) {
    if (!managed(holder)) {
      return "which Berth does not own (no Berth labels); remove or rename it";
    }
    String registry = holder.get(REGISTRY);
    if (Objects.equals(registry, wanted.get(REGISTRY))) {
      return null;
    }
    return "which another Berth registry made ("
        + (registry == null ? "one without a registry id" : registry)
        + "); `berth adopt "
        + (registry == null ? "unlabelled" : registry)
        + "` hands it over to this one";
  }
}
