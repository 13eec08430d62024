package dev.berth.runtime.qemu;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.util.regex.Pattern;

/**
 * What a VM cannot honour, refused before anything runs. The spec's validator refuses each of these
 * at apply, with the field path, so that a declaration never reaches the runtime to fail here; a
 * test in reconcilers proves it. (Whether a disk image was given a kernel command line is known
 * only once the image is found, so {@link QemuRuntime} checks that when it runs.)
 */
public final class VmSpecRules {

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  private VmSpecRules() {}

  /**
   * @throws RuntimeFailure INVALID_SPEC naming what a VM cannot do
   */
  public static void check(WorkloadSpec spec) {
    if (spec.kind() != WorkloadKind.UNIKERNEL) {
      throw invalid("runs unikernels, not " + spec.kind());
    }
    if (!spec.mounts().isEmpty()) {
      throw invalid("a VM shares no files with the host; mounts must be empty");
    }
    if (!spec.secrets().isEmpty()) {
      throw invalid(
          "a VM's environment goes on its kernel command line, which every user of the node can"
              + " read; secrets must be empty");
    }
    if (spec.memoryMb() < 0 || spec.vcpus() < 0) {
      throw invalid(
          "memoryMb and vcpus must not be negative: " + spec.memoryMb() + ", " + spec.vcpus());
    }
    for (PortBinding port : spec.ports()) {
      if (!validPort(port.hostPort()) || !validPort(port.containerPort())) {
        throw invalid("ports must be 1..65535: " + port);
      }
      if (!IPV4.matcher(QemuCommand.hostIp(port)).matches()) {
        throw invalid("a forwarded port binds an IPv4 address, not " + port.hostIp());
      }
    }
    // What a kernel's command line cannot carry (a disk image's QEMU ignores env and needs no
    // args, but the image's kind is known only once it is found).
    KernelCommandLine.of(spec.env(), spec.args());
  }

  private static boolean validPort(int port) {
    return port >= 1 && port <= 65535;
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "qemu: " + message, (String) null);
  }
}
