package dev.berth.spec.status;

/**
 * The condition types Berth reports, and the reasons that are not a component's state. A
 * component's {@code Ready} reasons are its state's ({@link ComponentState#readyReason()}); a
 * certificate's are {@link CertificateReason}'s; the service's own condition is {@link
 * ServiceConvergence}.
 */
public final class ConditionTypes {

  /** Of a component: whether it runs the current spec (and, with a probe, answers it). */
  public static final String READY = "Ready";

  /** Of a component with L7 routes: whether every one has a valid certificate. */
  public static final String CERTIFICATE_READY = "CertificateReady";

  /** The reason of a Ready condition False for a VM that runs but whose probe does not answer. */
  public static final String PROBE_FAILING = "ProbeFailing";

  /**
   * Of a component whose update beside its old workload failed: False until its spec changes, with
   * an {@link UpdateFailure} as the reason. Absent otherwise.
   */
  public static final String PROGRESSING = "Progressing";

  /** The reason of any condition an earlier agent wrote and this one has not observed yet. */
  public static final String NOT_OBSERVED = "NotObserved";

  // ---- A cluster's BerthService (the Kubernetes mode): its own conditions, beside Ready ----

  /**
   * Of a BerthService: whether its spec passes every rule and asks for nothing the cluster cannot
   * honour. A node refuses such a spec at apply; a cluster can only say so in status.
   */
  public static final String VALID = "Valid";

  /** Of a BerthService: whether its boot stage lets it in ({@code WaitingForStage} when not). */
  public static final String ADMITTED = "Admitted";

  /** Of a BerthService with routes: whether every route is served. */
  public static final String ROUTE_READY = "RouteReady";

  /** The reason of Valid True, and of Admitted True. */
  public static final String ACCEPTED = "Accepted";

  /** The reason of Valid False for a component whose runtime a cluster has not (process, VM). */
  public static final String RUNTIME_NOT_SUPPORTED = "RuntimeNotSupported";

  /** The reason of Valid False for anything else a cluster cannot honour (restart = "no"...). */
  public static final String NOT_SUPPORTED_ON_CLUSTER = "NotSupportedOnCluster";

  /** The reason of Ready False while an object the service needs has a name another one holds. */
  public static final String NAME_CONFLICT = "NameConflict";

  /** The reason of RouteReady False for an l4 route where the cluster has no TLSRoute API. */
  public static final String NO_PASSTHROUGH_GATEWAY = "NoPassthroughGateway";

  /** The reason of RouteReady False while an l7 route waits for its certificate. */
  public static final String WAITING_FOR_CERTIFICATE = "WaitingForCertificate";

  /** The reason of RouteReady True. */
  public static final String SERVED = "Served";

  private ConditionTypes() {}
}
