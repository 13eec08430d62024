package dev.berth.reconcilers.service;

import dev.berth.reconcilers.probe.ProbeStatus;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.runtime.Workload;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.StoredService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the planner looks at for one service: what is declared and what is observed.
 *
 * @param service the service's name
 * @param declared what is declared, or null if the service was deleted
 * @param workloads Berth's workloads labelled with this service, as observed
 * @param ports the service's allocated host ports
 * @param certificates the certificate state of every hostname (absent: unknown)
 * @param published the routes Berth has asked the proxy to serve for this service
 * @param served the routes the proxy serves for this service now
 * @param history what Berth remembers per component (absent: nothing)
 * @param probes what the health probes of the running workloads found so far, by workload id (a
 *     workload not probed yet is absent); null when the node probes nothing, and running is Ready
 * @param now the time the plan is made at
 * @param spares the service's allocated spare host ports (a route's second port, used by a workload
 *     replaced beside the one on its first); absent: not allocated yet
 * @param failedUpdates the update given up last, by component, until the spec changes
 * @param servedSince when the proxy's routes of this service last changed, or null
 * @param secretDigests the digest of every secret file the service's components name that can be
 *     used, by file name (read by the reconciler: the planner reads no file)
 * @param proxied whether a proxy serves the node's routes: without one nothing could switch traffic
 *     to a workload beside the old, and clients address a route's host port directly, so every
 *     update is a recreate that keeps the port
 */
public record PlanInput(
    String service,
    StoredService declared,
    List<Workload> workloads,
    Map<PortKey, Integer> ports,
    Map<String, CertificateState> certificates,
    Set<RouteBinding> published,
    Set<RouteBinding> served,
    Map<String, ComponentHistory> history,
    Map<String, ProbeStatus> probes,
    Instant now,
    Map<String, String> secretDigests,
    Map<PortKey, Integer> spares,
    Map<String, FailedUpdate> failedUpdates,
    Instant servedSince,
    boolean proxied) {

  /** Requires the service; copies the collections. */
  public PlanInput {
    Objects.requireNonNull(service, "service");
    workloads = List.copyOf(workloads);
    ports = Map.copyOf(ports);
    certificates = Map.copyOf(certificates);
    published = Set.copyOf(published);
    served = Set.copyOf(served);
    history = Map.copyOf(history);
    probes = probes == null ? null : Map.copyOf(probes);
    Objects.requireNonNull(now, "now");
    secretDigests = Map.copyOf(secretDigests);
    spares = Map.copyOf(spares);
    failedUpdates = Map.copyOf(failedUpdates);
  }

  /** The probe found of a workload, or null if it is not probed (yet). */
  public ProbeStatus probeOf(String workloadId) {
    return probes == null || workloadId == null ? null : probes.get(workloadId);
  }
}
