package dev.berth.spec.status;

import dev.berth.spec.model.Wire;
import java.util.Optional;

/**
 * The service's own condition, of type {@value #TYPE}: whether the service is what was declared,
 * after a Kubernetes Deployment's {@code Progressing} and {@code Available} folded into one. True
 * once every component is where it was declared (running and Ready, every condition True; or
 * stopped); False with reason {@code Progressing} while the agent moves it there or waits for
 * something that will come (a certificate, a boot stage, a retried failure); False with reason
 * {@code Failed} once something will not heal by waiting (a terminal runtime failure, a crash loop,
 * an exit its restart policy keeps, a certificate the issuer refused). Its message says what is
 * waited for, or what failed, one component after the other.
 *
 * <p>Clients read it instead of judging components themselves; {@code berth apply --wait} does.
 */
public enum ServiceConvergence {
  /** True: every component is where it was declared. */
  CONVERGED(true, "Converged"),
  /**
   * False: the agent moves the service towards its declaration, or waits for something that will
   * come.
   */
  PROGRESSING(false, "Progressing"),
  /** False: something will not heal by waiting. */
  FAILED(false, "Failed");

  /** The condition's type; its component is empty (the whole service). */
  public static final String TYPE = "Converged";

  private final boolean status;
  private final String reason;

  ServiceConvergence(boolean status, String reason) {
    this.status = status;
    this.reason = reason;
  }

  /** The condition's status: True only when converged. */
  public boolean status() {
    return status;
  }

  /** The condition's reason, as written on the wire. */
  public String reason() {
    return reason;
  }

  /** The value a condition's reason names, or empty for one this version does not know. */
  public static Optional<ServiceConvergence> ofReason(String reason) {
    return Wire.parse(ServiceConvergence.class, ServiceConvergence::reason, reason);
  }
}
