package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.status.ComponentPhase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of {@code berth status}: one row per component, declared ones first, in declared order.
 * A component the agent has not reported on yet shows as {@code pending}; a reported one that is no
 * longer declared (being removed) still shows, after the declared ones.
 */
final class StatusTable {

  static final String PENDING = ComponentPhase.PENDING.wire();

  private StatusTable() {}

  static AlignedColumns of(List<AgentProto.Service> services) {
    AlignedColumns table =
        AlignedColumns.withHeader(
            "SERVICE", "COMPONENT", "RUNTIME", "STATE", "VERSION", "UPTIME", "PORTS");
    for (AgentProto.Service service : services) {
      String name = service.getSpec().getName();
      Map<String, AgentProto.ComponentStatus> reported = new LinkedHashMap<>();
      service.getComponentsList().forEach(status -> reported.put(status.getComponent(), status));
      for (AgentProto.ComponentSpec component : service.getSpec().getComponentsList()) {
        AgentProto.ComponentStatus status = reported.remove(component.getName());
        if (status == null) {
          table.row(
              name,
              component.getName(),
              component.getRuntime().isEmpty() ? "container" : component.getRuntime(),
              PENDING,
              "-",
              "-",
              "-");
        } else {
          table.row(row(name, status));
        }
      }
      reported.values().forEach(status -> table.row(row(name, status)));
    }
    return table;
  }

  private static String[] row(String service, AgentProto.ComponentStatus status) {
    return new String[] {
      service,
      status.getComponent(),
      Formats.orDash(status.getRuntime()),
      Formats.orDash(status.getState()),
      Formats.orDash(status.getVersion()),
      uptime(status),
      Formats.ports(status.getPortsList())
    };
  }

  /** How long it has run, as the agent counted it; {@code -} unless it is running. */
  static String uptime(AgentProto.ComponentStatus status) {
    if (!ComponentPhase.RUNNING.wire().equals(status.getState()) || !status.hasStartedAt()) {
      return "-";
    }
    return Durations.human(status.getUptimeSeconds());
  }
}
