package dev.berth.store.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * The registry file was rewritten when it was opened, because the agent before had not closed it
 * (kill -9, crash, power loss): only what the open recovered was kept. For the agent's log.
 *
 * @param at when
 * @param bytesBefore the file's size before, or -1 if unknown
 * @param bytesAfter the file's size after, or -1 if unknown
 * @param took how long the rewrite took
 */
public record RegistryRewrite(Instant at, long bytesBefore, long bytesAfter, Duration took) {}
