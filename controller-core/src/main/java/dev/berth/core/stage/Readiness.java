package dev.berth.core.stage;

import java.util.Objects;

/**
 * The answer of a {@link ReadinessCheck}.
 *
 * @param ready whether the stage may let the next one in
 * @param reason why not (or a short note on success), shown in stage progress
 */
public record Readiness(boolean ready, String reason) {

  /** The stage is ready. */
  public static final Readiness READY = new Readiness(true, "ready");

  /** Requires a reason. */
  public Readiness {
    Objects.requireNonNull(reason, "reason");
  }

  /** The stage is not ready, because of {@code reason}. */
  public static Readiness notReady(String reason) {
    return new Readiness(false, reason);
  }
}
