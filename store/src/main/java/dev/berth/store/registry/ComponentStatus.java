package dev.berth.store.registry;

import java.time.Instant;

/**
 * What was last observed of a component's workload.
 *
 * @param service the service
 * @param component the component
 * @param runtime the runtime kind that runs it, or null if nothing runs
 * @param state the word of its state ({@code running}, {@code CrashLoopBackOff}, {@code
 *     ImageMissing}...: {@code dev.berth.spec.status.ComponentState})
 * @param workloadId the runtime's id for it, or null
 * @param image the image it runs, or null
 * @param specHash the spec hash label it carries, or null
 * @param observedGeneration the generation of the spec the observation was made against
 * @param exitCode the last exit code, or null
 * @param startedAt when it last started, or null
 * @param message a short explanation, or null
 * @param updatedAt when this was recorded
 */
public record ComponentStatus(
    String service,
    String component,
    String runtime,
    String state,
    String workloadId,
    String image,
    String specHash,
    long observedGeneration,
    Integer exitCode,
    Instant startedAt,
    String message,
    Instant updatedAt) {}
