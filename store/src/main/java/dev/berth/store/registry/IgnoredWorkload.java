package dev.berth.store.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A workload found on the node that is not this registry's: without Berth's labels, or made by
 * another registry. Berth adopts it as "ignored": it is reported, and never stopped, replaced or
 * removed.
 *
 * @param runtime the name of the runtime that runs it
 * @param id the runtime's id for it
 * @param name its name in the runtime, or null
 * @param kind container, unikernel or process, or null if unknown
 * @param image the image or executable it runs, or null
 * @param state its state when last seen, or null
 * @param ownerRegistry null if Berth did not make it; else the id of the registry that did, or
 *     {@link RegistryIdentity#UNLABELLED} if it carries no registry id (made by a Berth older than
 *     registry ids)
 * @param firstSeen when a relist first found it; set by the registry (null in what is passed in)
 * @param lastSeen when a relist last found it; set by the registry (null in what is passed in).
 *     Exact while the registry is open; on disk it is refreshed only together with a change to the
 *     set, so after a restart it can be older until the next relist.
 */
public record IgnoredWorkload(
    String runtime,
    String id,
    String name,
    String kind,
    String image,
    String state,
    String ownerRegistry,
    Instant firstSeen,
    Instant lastSeen) {

  /** Requires the runtime and the id. */
  public IgnoredWorkload {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(id, "id");
  }

  /** A workload as a relist reports it, before the registry dates it. */
  public static IgnoredWorkload observed(
      String runtime,
      String id,
      String name,
      String kind,
      String image,
      String state,
      String ownerRegistry) {
    return new IgnoredWorkload(runtime, id, name, kind, image, state, ownerRegistry, null, null);
  }

  /** Whether it is the same workload, looking the same, whenever it was seen. */
  boolean looksLike(IgnoredWorkload other) {
    return runtime.equals(other.runtime)
        && id.equals(other.id)
        && Objects.equals(name, other.name)
        && Objects.equals(kind, other.kind)
        && Objects.equals(image, other.image)
        && Objects.equals(state, other.state)
        && Objects.equals(ownerRegistry, other.ownerRegistry);
  }

  IgnoredWorkload seen(Instant first, Instant last) {
    return new IgnoredWorkload(runtime, id, name, kind, image, state, ownerRegistry, first, last);
  }
}
