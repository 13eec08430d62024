package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.SpecHash;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.VolumeMount;
import java.util.Map;

/**
 * The hash of everything that shapes a component's pods, the value of {@link
 * ClusterLabels#SPEC_HASH}: a different one means its pods run another spec. Written with the spec
 * module's {@link SpecHash}, field by field in a fixed order, as a node's runtimes write theirs.
 */
final class ComponentHash {

  private ComponentHash() {}

  static String of(String node, ComponentSpec c, Map<String, Integer> routePorts) {
    SpecHash hash = SpecHash.builder().field(node).field(c.name()).field(c.image());
    hash.count(c.cmd().size());
    c.cmd().forEach(hash::field);
    hash.map(c.env());
    hash.count(c.volumes().size());
    for (VolumeMount v : c.volumes()) {
      hash.field(v.hostPath()).field(v.containerPath()).count(v.readOnly() ? 1 : 0);
    }
    hash.count(c.ports().size());
    for (PortMapping p : c.ports()) {
      hash.field(p.hostIp()).count(p.hostPort()).count(p.containerPort());
    }
    hash.field(c.user()).field(c.restart().wire()).count(c.memoryMb()).count(c.vcpus());
    hash.count(c.routes().size());
    for (RouteSpec route : c.routes()) {
      // The route's container port shapes the pod (PORT_<NAME>); its listener and hostname do not.
      hash.field(route.name()).count(routePorts.get(route.name()));
    }
    HealthProbe probe = c.health();
    if (probe == null) {
      hash.field(null);
    } else {
      hash.field(probe.type().wire()).count(probe.port()).field(probe.route()).field(probe.path());
      // The probe as the pod has it: whole seconds (a change below a second writes nothing new).
      hash.count(probe.liveness() ? 1 : 0)
          .count(Rollout.seconds(probe.period()))
          .count(Rollout.seconds(probe.timeout()))
          .count(probe.failureThreshold())
          .count(Rollout.seconds(probe.initialDelay()));
    }
    hash.map(c.labels());
    // The drain is the pod's preStop sleep; the strategy and deadline are the Deployment's only.
    hash.count(Rollout.of(c).drainSeconds());
    return hash.hash();
  }
}
