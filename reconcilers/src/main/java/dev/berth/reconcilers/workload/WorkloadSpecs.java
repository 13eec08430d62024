package dev.berth.reconcilers.workload;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeRestartPolicy;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.identity.PortVariables;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a declared component into what a runtime runs: its name, its labels, and its routes'
 * allocated host ports as published ports and as {@code PORT} / {@code PORT_<NAME>} variables.
 */
public final class WorkloadSpecs {

  /** Route backends are published on loopback only: the proxy is the way in from outside. */
  public static final String ROUTE_HOST_IP = "127.0.0.1";

  private WorkloadSpecs() {}

  /**
   * The digest a secret gets while its file cannot be used: never a file's, so the workload is
   * planned anew, and the creation that follows says why the file cannot be used.
   */
  public static final String UNUSABLE_SECRET = "unusable";

  /** {@link #of(String, long, ComponentSpec, Map, Map)} for a component without secrets. */
  public static WorkloadSpec of(
      String service, long generation, ComponentSpec component, Map<String, Integer> routePorts) {
    return of(service, generation, component, routePorts, Map.of());
  }

  /**
   * The workload for {@code component} of {@code service}, labelled with its spec hash and the
   * service generation. Its secrets have their digests and no values: whoever creates it reads
   * them.
   *
   * @param routePorts the allocated host port of every route of the component, by route name
   * @param secretDigests the digest of every usable secret file, by file name; a file without one
   *     gets {@link #UNUSABLE_SECRET}
   * @throws IllegalArgumentException if a route has no port in {@code routePorts}
   */
  public static WorkloadSpec of(
      String service,
      long generation,
      ComponentSpec component,
      Map<String, Integer> routePorts,
      Map<String, String> secretDigests) {
    return of(service, generation, component, routePorts, secretDigests, 0);
  }

  /** {@link #of(String, long, ComponentSpec, Map, Map, int)} for a component without secrets. */
  public static WorkloadSpec of(
      String service,
      long generation,
      ComponentSpec component,
      Map<String, Integer> routePorts,
      int slot) {
    return of(service, generation, component, routePorts, Map.of(), slot);
  }

  /**
   * The workload for {@code component} on one slot of its routes' two host ports: {@code
   * routePorts} are that slot's, and slot 1 is labelled {@link Labels#SLOT} (slot 0 carries no
   * label, as workloads made before there were two).
   */
  public static WorkloadSpec of(
      String service,
      long generation,
      ComponentSpec component,
      Map<String, Integer> routePorts,
      Map<String, String> secretDigests,
      int slot) {
    WorkloadSpec.Builder builder =
        WorkloadSpec.builder(WorkloadNames.of(service, component.name()), kind(component.runtime()))
            .image(component.image())
            .executable(component.executable())
            .args(component.cmd())
            .env(component.env())
            .mounts(mounts(component.volumes()))
            .network(component.network())
            .user(component.user())
            .restart(RuntimeRestartPolicy.valueOf(component.restart().name()))
            .memoryMb(component.memoryMb())
            .vcpus(component.vcpus())
            // Containers get a small init as PID 1, so SIGTERM stops them and zombies are reaped.
            .init(component.runtime() == RuntimeKind.CONTAINER);
    List<PortBinding> ports = new ArrayList<>();
    Map<String, Integer> portsInRouteOrder = new LinkedHashMap<>();
    for (RouteSpec route : component.routes()) {
      Integer port = routePorts.get(route.name());
      if (port == null) {
        throw new IllegalArgumentException(
            "route " + route.name() + " of " + service + "/" + component.name() + " has no port");
      }
      // Inside and outside alike: the component listens on PORT_<NAME>, whatever its runtime.
      ports.add(new PortBinding(route.name(), ROUTE_HOST_IP, port, port));
      portsInRouteOrder.put(route.name(), port);
    }
    Map<String, String> portEnv = PortVariables.of(portsInRouteOrder);
    for (PortMapping mapping : component.ports()) {
      ports.add(
          new PortBinding(null, mapping.hostIp(), mapping.hostPort(), mapping.containerPort()));
    }
    builder.env(portEnv).ports(ports);
    for (SecretRef secret : component.secrets()) {
      builder.secret(
          SecretVariable.planned(
              secret.name(),
              secret.file(),
              secretDigests.getOrDefault(secret.file(), UNUSABLE_SECRET)));
    }
    builder.labels(component.labels());
    builder.label(Labels.SERVICE, service).label(Labels.COMPONENT, component.name());
    if (slot != 0) {
      builder.label(Labels.SLOT, Integer.toString(slot));
    }
    WorkloadSpec unhashed = builder.build();
    return builder
        .label(Labels.SPEC_HASH, WorkloadSpecHash.of(unhashed))
        .label(Labels.GENERATION, Long.toString(generation))
        .build();
  }

  /** The slot a workload uses: its {@link Labels#SLOT}, 0 without one. */
  public static int slotOf(Map<String, String> labels) {
    return "1".equals(labels.get(Labels.SLOT)) ? 1 : 0;
  }

  /** The kind of workload a component of {@code runtime} becomes. */
  public static WorkloadKind kind(RuntimeKind runtime) {
    return switch (runtime) {
      case CONTAINER -> WorkloadKind.CONTAINER;
      case UNIKERNEL -> WorkloadKind.UNIKERNEL;
      case PROCESS -> WorkloadKind.PROCESS;
    };
  }

  private static List<Mount> mounts(List<VolumeMount> volumes) {
    return volumes.stream()
        .map(v -> new Mount(v.hostPath(), v.containerPath(), v.readOnly()))
        .toList();
  }
}
