package dev.berth.core.stage;

/**
 * Whether a stage is ready to let the next one in. Called from reconciles of waiting keys, so it
 * must be quick and must not block for long; an exception counts as not ready, with its message as
 * the reason.
 */
@FunctionalInterface
public interface ReadinessCheck {

  /**
   * Asks whether the stage is up now.
   *
   * @return ready, or not ready with a reason
   * @throws Exception counted as not ready, with its message as the reason
   */
  Readiness check() throws Exception;
}
