package dev.berth.runner.config;

import dev.berth.runtime.local.LogLimits;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [runtimes]} and its {@code process}, {@code podman} and {@code qemu} tables. */
final class RuntimesSection {

  static final List<String> KEYS = ConfigKeys.in("runtimes");
  static final List<String> PROCESS_KEYS = ConfigKeys.in("runtimes.process");
  static final List<String> PODMAN_KEYS = ConfigKeys.in("runtimes.podman");
  static final List<String> QEMU_KEYS = ConfigKeys.in("runtimes.qemu");

  private RuntimesSection() {}

  /** The runtimes, with their state under {@code <data_dir>/<runtime>}. */
  static RuntimesConfig read(Table runtimes, Path dataDir) {
    runtimes.rejectUnknownKeys(KEYS);
    List<RuntimeName> enabled = enabled(runtimes);
    ProcessRuntimeConfig process =
        process(runtimes.section("process"), dataDir.resolve(RuntimeName.PROCESS.wire()));
    PodmanConfig podman = podman(runtimes.section("podman"));
    QemuConfig qemu =
        qemu(runtimes.section("qemu"), dataDir.resolve(RuntimeName.QEMU.wire()), podman);
    return new RuntimesConfig(enabled, process, podman, qemu);
  }

  private static List<RuntimeName> enabled(Table runtimes) {
    List<RuntimeName> names = new ArrayList<>();
    for (Table.Element element : runtimes.stringElements("enabled")) {
      Optional<RuntimeName> name = RuntimeName.parse(element.text());
      if (name.isEmpty()) {
        runtimes.reportAt(
            element.path(),
            "must be one of "
                + String.join(", ", RuntimeName.wires())
                + ", was "
                + Rules.quote(element.text()));
      } else if (names.contains(name.get())) {
        runtimes.reportAt(
            element.path(), "names " + Rules.quote(element.text()) + " a second time");
      } else {
        names.add(name.get());
      }
    }
    return names;
  }

  private static ProcessRuntimeConfig process(Table process, Path stateRoot) {
    process.rejectUnknownKeys(PROCESS_KEYS);
    return new ProcessRuntimeConfig(
        stateRoot,
        logMaxBytes(process, ProcessRuntimeConfig.DEFAULT_LOG_MAX_BYTES),
        logKeep(process, ProcessRuntimeConfig.DEFAULT_LOG_KEEP));
  }

  private static PodmanConfig podman(Table podman) {
    podman.rejectUnknownKeys(PODMAN_KEYS);
    String binary = binary(podman, PodmanConfig.DEFAULT_BINARY);
    Path containersConf = podman.path("containers_conf");
    if (containersConf != null) {
      FileChecks.readable(podman, "containers_conf", containersConf);
    }
    return new PodmanConfig(
        binary,
        containersConf,
        podman.duration("command_timeout", PodmanConfig.DEFAULT_COMMAND_TIMEOUT),
        podman.duration("pull_timeout", PodmanConfig.DEFAULT_PULL_TIMEOUT));
  }

  private static QemuConfig qemu(Table qemu, Path stateRoot, PodmanConfig podman) {
    qemu.rejectUnknownKeys(QEMU_KEYS);
    String cpu = qemuWord(qemu, "cpu", "");
    return new QemuConfig(
        binary(qemu, QemuConfig.DEFAULT_BINARY),
        qemuWord(qemu, "accel", QemuConfig.DEFAULT_ACCEL),
        qemuWord(qemu, "machine", QemuConfig.DEFAULT_MACHINE),
        cpu.isEmpty() ? null : cpu,
        qemuWord(qemu, "nic_model", QemuConfig.DEFAULT_NIC_MODEL),
        stateRoot,
        qemu.integer("memory_mb", 1, QemuConfig.MAX_MEMORY_MB, QemuConfig.DEFAULT_MEMORY_MB),
        (int) qemu.integer("vcpus", 1, QemuConfig.MAX_VCPUS, QemuConfig.DEFAULT_VCPUS),
        logMaxBytes(qemu, QemuConfig.DEFAULT_LOG_MAX_BYTES),
        logKeep(qemu, QemuConfig.DEFAULT_LOG_KEEP),
        podman);
  }

  private static long logMaxBytes(Table table, long fallback) {
    return table.integer(
        "log_max_bytes", LogLimits.MIN_MAX_BYTES, LogLimits.MAX_MAX_BYTES, fallback);
  }

  private static int logKeep(Table table, int fallback) {
    return (int) table.integer("log_keep", 0, LogLimits.MAX_KEEP, fallback);
  }

  /** A program: a name looked up on the PATH, or a path (relative ones from the working dir). */
  static String binary(Table table, String fallback) {
    String text = table.string("binary", fallback);
    return program(table, "binary", text, fallback);
  }

  static String program(Table table, String key, String text, String fallback) {
    String broken = Rules.program(text);
    if (broken != null) {
      table.report(key, broken);
      return fallback;
    }
    if (!text.contains("/")) {
      return text;
    }
    Path path = table.resolve(key, text);
    return path == null ? fallback : path.toString();
  }

  /**
   * A value QEMU takes as one word ({@link QemuConfig#word}); {@code fallback} may be empty (for
   * "QEMU's default").
   */
  private static String qemuWord(Table qemu, String key, String fallback) {
    String text = qemu.string(key, fallback);
    if (text.isEmpty() && fallback.isEmpty()) {
      return text;
    }
    String broken = QemuConfig.word(text, fallback.isEmpty() ? "host" : fallback);
    if (broken != null) {
      qemu.report(key, broken);
      return fallback;
    }
    return text;
  }
}
