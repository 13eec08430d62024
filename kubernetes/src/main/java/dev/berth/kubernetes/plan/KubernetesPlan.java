package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to do for one BerthService, and what its status says meanwhile. Built through the factories,
 * which say what kind of plan it is; in every kind, {@link #status} is the whole status to write.
 *
 * @param kind converging, or why nothing is written
 * @param desired every object the service should have now, by kind, name and {@link
 *     ClusterLabels#OBJECT_HASH}; empty unless converging
 * @param writes the desired objects that the cluster does not hold with their object hash, built
 *     whole and stamped with it: create or replace these, and nothing else (none when the cluster
 *     is up to date)
 * @param deletions objects of this BerthService's own that are no longer desired
 * @param status the status to write
 * @param requeueAfter when to look again although no event may come, or null
 * @param certificates the certificates the operator's own issuer is to issue now (certificates
 *     source local-ca), each to be written as its route's Secret; then plan again, and the routes'
 *     Ingresses follow. Empty unless converging
 */
public record KubernetesPlan(
    Kind kind,
    List<ObjectRef> desired,
    List<HasMetadata> writes,
    List<HasMetadata> deletions,
    BerthServiceStatus status,
    Duration requeueAfter,
    List<CertificateRequest> certificates) {

  /** What kind of plan it is. */
  public enum Kind {
    /** Write and delete what it says: the cluster moves toward the spec. */
    CONVERGE,
    /** The spec is invalid or asks for what a cluster cannot do: nothing is written. */
    REFUSED,
    /** Its boot stage does not let it in yet: nothing is written; look again later. */
    HELD,
    /** An object it needs has a name another one holds: nothing is written; look again later. */
    CONFLICT
  }

  public KubernetesPlan {
    Objects.requireNonNull(kind, "kind");
    desired = List.copyOf(desired);
    writes = List.copyOf(writes);
    deletions = List.copyOf(deletions);
    Objects.requireNonNull(status, "status");
    certificates = List.copyOf(certificates);
    if (kind != Kind.CONVERGE
        && !(desired.isEmpty()
            && writes.isEmpty()
            && deletions.isEmpty()
            && certificates.isEmpty())) {
      throw new IllegalArgumentException("a " + kind + " plan writes and deletes nothing");
    }
  }

  public static KubernetesPlan converge(
      List<ObjectRef> desired,
      List<HasMetadata> writes,
      List<HasMetadata> deletions,
      BerthServiceStatus status,
      Duration requeueAfter,
      List<CertificateRequest> certificates) {
    return new KubernetesPlan(
        Kind.CONVERGE, desired, writes, deletions, status, requeueAfter, certificates);
  }

  /** Nothing written, ever, until the spec changes (a new generation brings a new reconcile). */
  public static KubernetesPlan refused(BerthServiceStatus status) {
    return new KubernetesPlan(
        Kind.REFUSED, List.of(), List.of(), List.of(), status, null, List.of());
  }

  public static KubernetesPlan held(BerthServiceStatus status, Duration requeueAfter) {
    return new KubernetesPlan(
        Kind.HELD, List.of(), List.of(), List.of(), status, requeueAfter, List.of());
  }

  public static KubernetesPlan conflict(BerthServiceStatus status, Duration requeueAfter) {
    return new KubernetesPlan(
        Kind.CONFLICT, List.of(), List.of(), List.of(), status, requeueAfter, List.of());
  }

  /** Whether the cluster already is what this plan wants: nothing to write or delete. */
  public boolean idle() {
    return writes.isEmpty() && deletions.isEmpty() && certificates.isEmpty();
  }
}
