package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code [runtimes]} and its {@code process}, {@code podman} and {@code qemu} tables. */
final class RuntimesSection {

  static final List<String> KEYS = List.of("enabled", "process", "podman", "qemu");
  static final List<String> PROCESS_KEYS = List.of("log_max_bytes", "log_keep");
  static final List<String> PODMAN_KEYS =
      List.of("binary", "containers_conf", "command_timeout", "pull_timeout");
  static final List<String> QEMU_KEYS =
      List.of(
          "binary",
          "accel",
          "machine",
          "cpu",
          "nic_model",
          "memory_mb",
          "vcpus",
          "log_max_bytes",
          "log_keep");

  /** A log smaller than this rotates every few lines; a bigger one is a mistake for gigabytes. */
  static final long MIN_LOG_BYTES = 4096;

  static final long MAX_LOG_BYTES = 1L << 40;

  /**
   * What QEMU accepts in {@code -accel}, {@code -machine} and {@code -cpu} values (names, with
   * {@code ,key=value} options), and nothing that could be read as another option.
   */
  private static final Pattern QEMU_WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.,=+-]*");

  private RuntimesSection() {}

  static RuntimesConfig read(Table runtimes) {
    runtimes.rejectUnknownKeys(KEYS);
    return new RuntimesConfig(
        enabled(runtimes),
        process(runtimes.section("process")),
        podman(runtimes.section("podman")),
        qemu(runtimes.section("qemu")));
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

  private static ProcessSettings process(Table process) {
    process.rejectUnknownKeys(PROCESS_KEYS);
    return new ProcessSettings(
        process.integer(
            "log_max_bytes", MIN_LOG_BYTES, MAX_LOG_BYTES, ProcessSettings.DEFAULT_LOG_MAX_BYTES),
        (int)
            process.integer(
                "log_keep", 0, ProcessSettings.MAX_LOG_KEEP, ProcessSettings.DEFAULT_LOG_KEEP));
  }

  private static PodmanSettings podman(Table podman) {
    podman.rejectUnknownKeys(PODMAN_KEYS);
    String binary = binary(podman, PodmanSettings.DEFAULT_BINARY);
    Path containersConf = podman.path("containers_conf");
    if (containersConf != null) {
      FileChecks.readable(podman, "containers_conf", containersConf);
    }
    return new PodmanSettings(
        binary,
        containersConf,
        podman.duration("command_timeout", PodmanSettings.DEFAULT_COMMAND_TIMEOUT),
        podman.duration("pull_timeout", PodmanSettings.DEFAULT_PULL_TIMEOUT));
  }

  private static QemuSettings qemu(Table qemu) {
    qemu.rejectUnknownKeys(QEMU_KEYS);
    String cpu = qemuWord(qemu, "cpu", "");
    return new QemuSettings(
        binary(qemu, QemuSettings.DEFAULT_BINARY),
        qemuWord(qemu, "accel", QemuSettings.DEFAULT_ACCEL),
        qemuWord(qemu, "machine", QemuSettings.DEFAULT_MACHINE),
        cpu.isEmpty() ? null : cpu,
        qemuWord(qemu, "nic_model", QemuSettings.DEFAULT_NIC_MODEL),
        qemu.integer("memory_mb", 1, QemuSettings.MAX_MEMORY_MB, QemuSettings.DEFAULT_MEMORY_MB),
        (int) qemu.integer("vcpus", 1, QemuSettings.MAX_VCPUS, QemuSettings.DEFAULT_VCPUS),
        qemu.integer(
            "log_max_bytes", MIN_LOG_BYTES, MAX_LOG_BYTES, QemuSettings.DEFAULT_LOG_MAX_BYTES),
        (int)
            qemu.integer(
                "log_keep", 0, ProcessSettings.MAX_LOG_KEEP, QemuSettings.DEFAULT_LOG_KEEP));
  }

  /** A program: a name looked up on the PATH, or a path (relative ones from the working dir). */
  static String binary(Table table, String fallback) {
    String text = table.string("binary", fallback);
    return program(table, "binary", text, fallback);
  }

  static String program(Table table, String key, String text, String fallback) {
    if (text.isBlank()) {
      table.report(key, "must name a program (a name on the PATH or a path), was \"\"");
      return fallback;
    }
    if (!text.contains("/")) {
      return text;
    }
    Path path = table.resolve(key, text);
    return path == null ? fallback : path.toString();
  }

  /** A value QEMU takes as one word; {@code fallback} may be empty (for "QEMU's default"). */
  private static String qemuWord(Table qemu, String key, String fallback) {
    String text = qemu.string(key, fallback);
    if (text.isEmpty() && fallback.isEmpty()) {
      return text;
    }
    if (!QEMU_WORD.matcher(text).matches()) {
      qemu.report(
          key,
          "must be a QEMU name such as "
              + Rules.quote(fallback.isEmpty() ? "host" : fallback)
              + " (letters, digits and _.,=+-), was "
              + Rules.quote(text));
      return fallback;
    }
    return text;
  }
}
