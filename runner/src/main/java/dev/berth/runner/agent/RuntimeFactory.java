package dev.berth.runner.agent;

import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.config.PodmanSettings;
import dev.berth.runner.config.ProcessSettings;
import dev.berth.runner.config.QemuSettings;
import dev.berth.runner.config.RuntimeName;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.runtime.qemu.QemuRuntime;
import dev.berth.spec.validation.Violation;
import java.nio.file.Path;
import java.util.List;

/** Creates one runtime from the configuration; state lives under {@code <data_dir>/<name>}. */
final class RuntimeFactory {

  private RuntimeFactory() {}

  static WorkloadRuntime create(RuntimeName name, AgentConfig config) {
    Path stateRoot = config.dataDir().resolve(name.wire());
    return switch (name) {
      case PROCESS -> process(config.runtimes().process(), stateRoot);
      case PODMAN -> podman(config.runtimes().podman());
      case QEMU ->
          qemu(
              config.runtimes().qemu(),
              podmanConfig(config.runtimes().podman()),
              stateRoot,
              config.source());
    };
  }

  private static WorkloadRuntime process(ProcessSettings settings, Path stateRoot) {
    return new ProcessRuntime(
        ProcessRuntimeConfig.of(stateRoot)
            .withLogRotation(settings.logMaxBytes(), settings.logKeep()));
  }

  private static WorkloadRuntime podman(PodmanSettings settings) {
    return new PodmanRuntime(podmanConfig(settings));
  }

  /** The QEMU runtime pulls VM images published as OCI images with the same podman. */
  private static PodmanConfig podmanConfig(PodmanSettings settings) {
    return new PodmanConfig(
        settings.binary(),
        settings.containersConf(),
        settings.commandTimeout(),
        settings.pullTimeout());
  }

  private static WorkloadRuntime qemu(
      QemuSettings settings, PodmanConfig podman, Path stateRoot, String source) {
    QemuConfig config =
        QemuConfig.builder(stateRoot)
            .binary(settings.binary())
            .accel(settings.accel())
            .machine(settings.machine())
            .cpu(settings.cpu())
            .nicModel(settings.nicModel())
            .memoryMb(settings.memoryMb())
            .vcpus(settings.vcpus())
            .logRotation(settings.logMaxBytes(), settings.logKeep())
            .podman(podman)
            .build();
    try {
      return new QemuRuntime(config);
    } catch (IllegalArgumentException e) {
      // The one configuration problem only the runtime can see: QMP socket paths too long.
      throw new ConfigException(source, List.of(new Violation("data_dir", e.getMessage())));
    }
  }
}
