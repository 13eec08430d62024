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

  /** The reason of any condition an earlier agent wrote and this one has not observed yet. */
  public static final String NOT_OBSERVED = "NotObserved";

  private ConditionTypes() {}
}
