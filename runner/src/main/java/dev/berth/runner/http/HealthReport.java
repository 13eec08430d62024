package dev.berth.runner.http;

import java.util.Objects;

/**
 * The answer of a health or readiness check.
 *
 * @param healthy whether the check passes
 * @param reason why it fails, shown to whoever asks; {@code "ok"} when it passes
 */
public record HealthReport(boolean healthy, String reason) {

  private static final HealthReport OK = new HealthReport(true, "ok");

  public HealthReport {
    Objects.requireNonNull(reason, "reason");
  }

  /** A passing check. */
  public static HealthReport ok() {
    return OK;
  }

  /** A failing check, with the reason an operator reads. */
  public static HealthReport failing(String reason) {
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason: must say why the check fails");
    }
    return new HealthReport(false, reason);
  }
}
