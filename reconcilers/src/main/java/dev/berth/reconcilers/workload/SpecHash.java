package dev.berth.reconcilers.workload;

import dev.berth.runtime.Labels;
import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash that tells whether a running workload still matches its spec. It covers everything that
 * shapes the workload (image, command, environment, mounts, ports, limits, extra labels), and
 * leaves out Berth's bookkeeping labels: a generation bump that changes nothing else, such as
 * stopping and starting a service, must not replace its workloads.
 *
 * <p>Every field is written length-prefixed, so no two different specs encode alike (a value
 * containing a separator cannot fake another field).
 */
public final class SpecHash {

  private SpecHash() {}

  public static String of(WorkloadSpec spec) {
    Encoder out = new Encoder();
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
    out.map(labels);
    out.field(Boolean.toString(spec.init()));
    out.field(spec.workingDirectory());
    return out.hash();
  }

  private static final class Encoder {
    private final StringBuilder text = new StringBuilder(256);

    void field(String value) {
      if (value == null) {
        text.append("-;");
      } else {
        text.append(value.length()).append(':').append(value).append(';');
      }
    }

    void count(long value) {
      text.append('#').append(value).append(';');
    }

    void map(Map<String, String> map) {
      count(map.size());
      map.forEach(
          (key, value) -> {
            field(key);
            field(value);
          });
    }

    String hash() {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8));
        // 64 bits: plenty to tell one component's versions apart, short enough to read in labels.
        return HexFormat.of().formatHex(digest, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
  }
}
