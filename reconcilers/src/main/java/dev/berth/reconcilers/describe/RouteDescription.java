package dev.berth.reconcilers.describe;

import dev.berth.spec.model.RouteMode;

/**
 * One declared route as the node serves it, or why it does not.
 *
 * @param mode the route's mode, or null where the declaration has none
 * @param hostname the name it is served at, or null for an L4 route that owns its port
 * @param backend where the proxy sends it ({@code 127.0.0.1:<host port>}), or null before a port is
 *     allocated
 * @param reason why it is not served, or null when it is
 * @param certificateFingerprint the SHA-256 fingerprint of the certificate it is served with, or
 *     null
 */
public record RouteDescription(
    String service,
    String component,
    String route,
    RouteMode mode,
    String hostname,
    int listenPort,
    String backend,
    boolean served,
    String reason,
    String certificateFingerprint) {}
