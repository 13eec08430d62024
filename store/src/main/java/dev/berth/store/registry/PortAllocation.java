package dev.berth.store.registry;

import java.time.Instant;

/** A host port held for a route until its service is deleted. */
public record PortAllocation(PortKey key, int hostPort, Instant allocatedAt) {}
