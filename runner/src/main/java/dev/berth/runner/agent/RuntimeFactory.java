package dev.berth.runner.agent;

import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.config.RuntimeName;
import dev.berth.runner.config.RuntimesConfig;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.runtime.process.ProcessLimits;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.qemu.QemuRuntime;
import dev.berth.spec.validation.Violation;
import java.util.List;
import java.util.Optional;

/** Creates one runtime from the configuration; state lives under {@code <data_dir>/<name>}. */
final class RuntimeFactory {

  private RuntimeFactory() {}

  /**
   * @param processLimits how the process runtime limits processes; detected by the runtime itself
   *     when empty
   */
  static WorkloadRuntime create(
      RuntimeName name, AgentConfig config, Optional<ProcessLimits> processLimits) {
    RuntimesConfig runtimes = config.runtimes();
    return switch (name) {
      case PROCESS ->
          processLimits
              .map(limits -> new ProcessRuntime(runtimes.process(), limits))
              .orElseGet(() -> new ProcessRuntime(runtimes.process()));
      case PODMAN -> new PodmanRuntime(runtimes.podman());
      case QEMU -> qemu(runtimes, config.source());
    };
  }

  private static WorkloadRuntime qemu(RuntimesConfig runtimes, String source) {
    try {
      return new QemuRuntime(runtimes.qemu());
    } catch (IllegalArgumentException e) {
      // The one configuration problem only the runtime can see: QMP socket paths too long.
      throw new ConfigException(source, List.of(new Violation("data_dir", e.getMessage())));
    }
  }
}
