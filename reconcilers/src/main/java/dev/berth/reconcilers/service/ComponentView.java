package dev.berth.reconcilers.service;

import java.time.Instant;

/**
 * A component as a plan sees it: what status will say about it.
 *
 * @param component its name
 * @param runtime container, unikernel or process
 * @param state running, created, exited, stopped, creating, replacing, starting, stopping, pending
 *     or CrashLoopBackOff
 * @param workloadId the workload that serves it, if any
 * @param image what it runs
 * @param specHash the hash of the current spec
 * @param exitCode the exit code, when it exited
 * @param startedAt when it last started
 * @param message a sentence for operators, or null
 */
public record ComponentView(
    String component,
    String runtime,
    String state,
    String workloadId,
    String image,
    String specHash,
    Integer exitCode,
    Instant startedAt,
    String message) {}
