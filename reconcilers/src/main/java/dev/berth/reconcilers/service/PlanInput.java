package dev.berth.reconcilers.service;

import dev.berth.reconcilers.probe.ProbeResult;
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
 * @param now the time the plan is made at
 * @param spares the service's allocated spare host ports (a route's second port, used by a workload
 *     replaced beside the one on its first); absent: not allocated yet
 * @param probes what the health probe of a workload found, by workload id (absent: not probed)
 * @param failedUpdates the update given up last, by component, until the spec changes
 * @param servedSince when the proxy's routes of this service last changed, or null
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
    Instant now,
    Map<PortKey, Integer> spares,
    Map<String, ProbeResult> probes,
    Map<String, FailedUpdate> failedUpdates,
    Instant servedSince) {

  public PlanInput {
    Objects.requireNonNull(service, "service");
    workloads = List.copyOf(workloads);
    ports = Map.copyOf(ports);
    certificates = Map.copyOf(certificates);
    published = Set.copyOf(published);
    served = Set.copyOf(served);
    history = Map.copyOf(history);
    Objects.requireNonNull(now, "now");
    spares = Map.copyOf(spares);
    probes = Map.copyOf(probes);
    failedUpdates = Map.copyOf(failedUpdates);
  }

  /** What a service is, with no spare ports, probes or failed updates. */
  public PlanInput(
      String service,
      StoredService declared,
      List<Workload> workloads,
      Map<PortKey, Integer> ports,
      Map<String, CertificateState> certificates,
      Set<RouteBinding> published,
      Set<RouteBinding> served,
      Map<String, ComponentHistory> history,
      Instant now) {
    this(
        service,
        declared,
        workloads,
        ports,
        certificates,
        published,
        served,
        history,
        now,
        Map.of(),
        Map.of(),
        Map.of(),
        null);
  }
}
