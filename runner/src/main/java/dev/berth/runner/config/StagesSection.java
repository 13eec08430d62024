package dev.berth.runner.config;

import dev.berth.reconcilers.stage.BootStage;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code [[stages]]} array, and checks the stages against each other. */
final class StagesSection {

  static final List<String> KEYS = ConfigKeys.in("stages");

  /** How {@code probe} spells "no probe: running is enough". */
  static final String NO_PROBE = "none";

  static final List<String> PROBES = List.of(NO_PROBE, "tcp", "http", "grpc");

  private StagesSection() {}

  static List<BootStage> read(Table root) {
    List<BootStage> stages = new ArrayList<>();
    Map<String, String> stageOfName = new HashMap<>();
    Map<String, String> stageOfService = new HashMap<>();
    for (Table stage : root.tables("stages", "[[stages]]")) {
      stage.rejectUnknownKeys(KEYS);
      String name = name(stage, stageOfName);
      List<String> services = services(stage, name, stageOfService);
      String probe = stage.choice("probe", PROBES, BootStage.DEFAULT_PROBE.wire());
      stages.add(
          new BootStage(
              name,
              services,
              stage.duration("timeout", BootStage.DEFAULT_TIMEOUT),
              probeType(probe),
              stage.bool("required", BootStage.DEFAULT_REQUIRED)));
    }
    return stages;
  }

  private static String name(Table stage, Map<String, String> stageOfName) {
    if (!stage.has("name")) {
      stage.report("name", "is required: every stage has a name");
      return "";
    }
    String name = stage.string("name", "");
    String broken = Rules.dnsLabel(name);
    if (broken != null) {
      stage.report("name", broken);
      return name;
    }
    String first = stageOfName.putIfAbsent(name, stage.path());
    if (first != null) {
      stage.report(
          "name", "must be unique, was " + Rules.quote(name) + " (also " + first + ".name)");
    }
    return name;
  }

  /** Service names, each in at most one stage (a service cannot wait for itself). */
  private static List<String> services(
      Table stage, String stageName, Map<String, String> stageOfService) {
    if (!stage.has("services") || stage.isEmptyArray("services")) {
      stage.report("services", "must list at least one service");
    }
    List<String> services = new ArrayList<>();
    for (Table.Element element : stage.stringElements("services")) {
      String service = element.text();
      String broken = Rules.dnsLabel(service);
      if (broken != null) {
        stage.reportAt(element.path(), broken);
        continue;
      }
      String first = stageOfService.putIfAbsent(service, element.path());
      if (first != null) {
        stage.reportAt(
            element.path(),
            "names service "
                + Rules.quote(service)
                + " again (first at "
                + first
                + "); a service is in at most one stage");
        continue;
      }
      services.add(service);
    }
    return services;
  }

  private static ProbeType probeType(String wire) {
    for (ProbeType type : ProbeType.values()) {
      if (type.wire().equals(wire)) {
        return type;
      }
    }
    return null;
  }

  /** How {@code probe} spells the stage's probe. */
  static String probeName(ProbeType type) {
    return type == null ? NO_PROBE : type.wire();
  }
}
