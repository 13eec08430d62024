package dev.berth.spec.model;

import java.time.Duration;

/**
 * How to tell that a component is up. Exactly one of {@code port} and {@code route} says where to
 * probe: a port of the component, or a route's allocated host port.
 *
 * <p>A running workload is probed every {@code period}; it is Ready only while its probe passes. A
 * liveness probe also restarts it once it has failed {@code failureThreshold} times in a row. The
 * defaults are kubelet's.
 *
 * @param type tcp, grpc or http
 * @param port a port of the component, or 0 when a route is named
 * @param route the name of one of the component's routes, or null
 * @param path the HTTP path for http probes (starts with {@code /}); the gRPC service name for grpc
 *     probes (empty for the whole server); null otherwise
 * @param liveness whether failing it restarts the workload (else it only makes it not Ready)
 * @param period how often it is probed (null: {@link #DEFAULT_PERIOD})
 * @param timeout how long one probe may take (null: {@link #DEFAULT_TIMEOUT})
 * @param failureThreshold how many failures in a row restart a workload, for a liveness probe
 * @param initialDelay how long after a workload starts its probe's failures begin to count (null:
 *     none)
 */
public record HealthProbe(
    ProbeType type,
    int port,
    String route,
    String path,
    boolean liveness,
    Duration period,
    Duration timeout,
    int failureThreshold,
    Duration initialDelay) {

  /** How often a probe runs by default: every 10 seconds. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

  /** How long one probe may take by default: 1 second. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** How many failures in a row restart a workload by default, for a liveness probe: 3. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;

  /** By default, failures count from the moment a workload starts. */
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ZERO;

  /** Puts the defaults in place of null durations. */
  public HealthProbe {
    period = period == null ? DEFAULT_PERIOD : period;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    initialDelay = initialDelay == null ? DEFAULT_INITIAL_DELAY : initialDelay;
  }

  /** A probe for readiness alone, with the default timing. */
  public HealthProbe(ProbeType type, int port, String route, String path) {
    this(type, port, route, path, false, null, null, DEFAULT_FAILURE_THRESHOLD, null);
  }

  /** This probe as a liveness probe, or not. */
  public HealthProbe withLiveness(boolean value) {
    return new HealthProbe(
        type, port, route, path, value, period, timeout, failureThreshold, initialDelay);
  }

  /** This probe with other timing. */
  public HealthProbe withTiming(
      Duration period, Duration timeout, int failureThreshold, Duration initialDelay) {
    return new HealthProbe(
        type, port, route, path, liveness, period, timeout, failureThreshold, initialDelay);
  }
}
