package dev.berth.spec.model;

/**
 * How to tell that a component is up. Exactly one of {@code port} and {@code route} says where to
 * probe: a port of the component, or a route's allocated host port.
 *
 * @param type tcp, grpc or http
 * @param port a port of the component, or 0 when a route is named
 * @param route the name of one of the component's routes, or null
 * @param path the HTTP path for http probes (starts with {@code /}); the gRPC service name for grpc
 *     probes (empty for the whole server); null otherwise
 */
public record HealthProbe(ProbeType type, int port, String route, String path) {}
