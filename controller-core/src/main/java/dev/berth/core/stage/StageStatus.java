package dev.berth.core.stage;

/**
 * One stage's progress.
 *
 * @param name the stage's name
 * @param phase where it is
 * @param reason the last answer of its readiness check, or why it is pending
 */
public record StageStatus(String name, StagePhase phase, String reason) {}
