package dev.berth.store.registry;

/** What a host port is allocated to: one route of one component of one service. */
public record PortKey(String service, String component, String route) {}
