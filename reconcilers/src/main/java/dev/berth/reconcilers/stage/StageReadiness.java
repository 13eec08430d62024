package dev.berth.reconcilers.stage;

import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.ReadinessCheck;
import dev.berth.reconcilers.observe.WorkloadCache;
import dev.berth.reconcilers.probe.HealthTargets;
import dev.berth.reconcilers.probe.ProbeResult;
import dev.berth.reconcilers.probe.ProbeTarget;
import dev.berth.reconcilers.probe.Prober;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.Workload;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.SecretRef;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.StoredService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a boot stage's services are up: every component of every member declared running runs its
 * current spec, and answers its probe. A component's own health probe wins; otherwise the stage's
 * probe is aimed at its first route's host port; with neither, running is enough. Members that are
 * not declared, or declared stopped, do not hold the stage back.
 */
final class StageReadiness implements ReadinessCheck {

  private final BootStage stage;
  private final Registry registry;
  private final WorkloadCache cache;
  private final Prober prober;
  private final Duration probeTimeout;
  private final SecretFiles secrets;

  StageReadiness(
      BootStage stage,
      Registry registry,
      WorkloadCache cache,
      Prober prober,
      Duration probeTimeout,
      SecretFiles secrets) {
    this.secrets = secrets;
    this.stage = stage;
    this.registry = registry;
    this.cache = cache;
    this.prober = prober;
    this.probeTimeout = probeTimeout;
  }

  @Override
  public Readiness check() {
    for (String service : stage.services()) {
      Optional<StoredService> declared = registry.services().get(service);
      if (declared.isEmpty() || declared.get().spec().desiredState() != DesiredState.RUNNING) {
        continue;
      }
      String problem = problem(declared.get());
      if (problem != null) {
        return Readiness.notReady(service + ": " + problem);
      }
    }
    return Readiness.READY;
  }

  private String problem(StoredService declared) {
    String service = declared.name();
    Map<String, List<Workload>> running = new HashMap<>();
    for (Workload workload : cache.workloadsOf(service)) {
      if (workload.running()) {
        running.computeIfAbsent(workload.component(), c -> new ArrayList<>()).add(workload);
      }
    }
    for (ComponentSpec component : declared.spec().components()) {
      if (routePorts(service, component, 0) == null) {
        return component.name() + " has no host ports yet";
      }
      // The workload of the current spec, on whichever of its routes' two slots of ports it runs
      // (a component replaced beside alternates between them).
      Map<String, Integer> ports = null;
      for (Workload workload : running.getOrDefault(component.name(), List.of())) {
        int slot = WorkloadSpecs.slotOf(workload.labels());
        Map<String, Integer> slotPorts = routePorts(service, component, slot);
        if (slotPorts != null
            && WorkloadSpecs.of(
                    service, declared.generation(), component, slotPorts, digests(component), slot)
                .labels()
                .get(Labels.SPEC_HASH)
                .equals(workload.specHash())) {
          ports = slotPorts;
          break;
        }
      }
      if (ports == null) {
        return component.name() + " is not running its current spec";
      }
      ProbeTarget target = target(component, ports);
      if (target != null) {
        ProbeResult result = prober.probe(target, probeTimeout);
        if (!result.healthy()) {
          return component.name() + " fails its " + target + " probe: " + result.detail();
        }
      }
    }
    return null;
  }

  /** The digests of the component's usable secret files, as the service loop plans with them. */
  private Map<String, String> digests(ComponentSpec component) {
    Map<String, String> digests = new HashMap<>();
    for (SecretRef secret : component.secrets()) {
      secrets.digest(secret.file()).ifPresent(digest -> digests.put(secret.file(), digest));
    }
    return digests;
  }

  /** The host ports of the component's routes on {@code slot}, or null if one has none yet. */
  private Map<String, Integer> routePorts(String service, ComponentSpec component, int slot) {
    Map<String, Integer> ports = new HashMap<>();
    for (RouteSpec route : component.routes()) {
      var allocation = registry.ports().get(new PortKey(service, component.name(), route.name()));
      if (allocation.isEmpty() || allocation.get().port(slot) == 0) {
        return null;
      }
      ports.put(route.name(), allocation.get().port(slot));
    }
    return ports;
  }

  /** Where to probe the component, or null if running is enough. */
  private ProbeTarget target(ComponentSpec component, Map<String, Integer> routePorts) {
    if (component.health() != null) {
      return HealthTargets.of(component, routePorts);
    }
    if (stage.probe() != null && !component.routes().isEmpty()) {
      int port = routePorts.get(component.routes().get(0).name());
      return new ProbeTarget(
          stage.probe(), "127.0.0.1", port, HealthTargets.pathOf(stage.probe(), null));
    }
    return null;
  }
}
