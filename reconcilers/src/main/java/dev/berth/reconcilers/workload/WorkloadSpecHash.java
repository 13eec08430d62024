package dev.berth.reconcilers.workload;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.identity.SpecHash;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node workload's {@link SpecHash}. It covers everything that shapes the workload (image,
 * command, environment, the digests of its secrets, mounts, ports, limits, extra labels), and
 * leaves out Berth's bookkeeping labels: a generation bump that changes nothing else, such as
 * stopping and starting a service, must not replace its workloads. The order of the fields is part
 * of every running workload's identity: changing it replaces every workload once.
 */
final class WorkloadSpecHash {

  private WorkloadSpecHash() {}

  static String of(WorkloadSpec spec) {
    SpecHash out = SpecHash.builder();
    out.field(spec.kind().name());
    out.field(spec.name());
    out.field(spec.image());
    out.field(spec.executable());
    out.count(spec.args().size());
    spec.args().forEach(out::field);
    out.map(spec.env());
    out.count(spec.mounts().size());
    for (Mount mount : spec.mounts()) {
      out.field(mount.hostPath());
      out.field(mount.containerPath());
      out.field(Boolean.toString(mount.readOnly()));
    }
    out.count(spec.ports().size());
    for (PortBinding port : spec.ports()) {
      out.field(port.name());
      out.field(port.hostIp());
      out.count(port.hostPort());
      out.count(port.containerPort());
    }
    out.field(spec.network());
    out.field(spec.user());
    out.field(spec.restart().name());
    out.count(spec.memoryMb());
    out.count(spec.vcpus());
    Map<String, String> labels = new TreeMap<>(spec.labels());
    labels.remove(Labels.SPEC_HASH);
    labels.remove(Labels.GENERATION);
    labels.remove(Labels.SLOT);
    labels.remove(Labels.CREATED);
    out.map(labels);
    out.field(Boolean.toString(spec.init()));
    out.field(spec.workingDirectory());
    // Only where there are some: a workload without secrets keeps the hash it had before they
    // existed, so that upgrading Berth replaces none. The digest, never the value: a changed file
    // replaces the workload.
    if (!spec.secrets().isEmpty()) {
      out.count(spec.secrets().size());
      for (SecretVariable secret : spec.secrets()) {
        out.field(secret.name());
        out.field(secret.digest());
      }
    }
    return out.hash();
  }
}
