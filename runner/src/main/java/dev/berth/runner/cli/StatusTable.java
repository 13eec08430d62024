package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.status.ComponentPhase;
import java.util.ArrayList;
import java.util.Arrays;
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

  private static final String[] HEADER = {
    "SERVICE", "COMPONENT", "RUNTIME", "STATE", "VERSION", "UPTIME", "PORTS"
  };

  /** The columns {@code -o wide} adds after the others. */
  private static final String[] WIDE_HEADER = {
    "GENERATION", "OBSERVED", "WORKLOAD", "IMAGE", "MESSAGE"
  };

  static AlignedColumns of(List<AgentProto.Service> services) {
    return of(services, false);
  }

  /** The table; {@code wide} adds the columns of {@code -o wide}. */
  static AlignedColumns of(List<AgentProto.Service> services, boolean wide) {
    AlignedColumns table = AlignedColumns.withHeader(wide ? wideHeader() : HEADER);
    for (AgentProto.Service service : services) {
      rows(service, wide).forEach(table::row);
    }
    return table;
  }

  static String[] header(boolean wide) {
    return wide ? wideHeader() : HEADER.clone();
  }

  private static String[] wideHeader() {
    String[] header = Arrays.copyOf(HEADER, HEADER.length + WIDE_HEADER.length);
    System.arraycopy(WIDE_HEADER, 0, header, HEADER.length, WIDE_HEADER.length);
    return header;
  }

  /** The rows of one service, as the table shows them. */
  static List<String[]> rows(AgentProto.Service service, boolean wide) {
    String name = service.getSpec().getName();
    String generation = Long.toString(service.getGeneration());
    List<String[]> rows = new ArrayList<>();
    Map<String, AgentProto.ComponentStatus> reported = new LinkedHashMap<>();
    service.getComponentsList().forEach(status -> reported.put(status.getComponent(), status));
    for (AgentProto.ComponentSpec component : service.getSpec().getComponentsList()) {
      AgentProto.ComponentStatus status = reported.remove(component.getName());
      if (status == null) {
        String[] row = {
          name,
          component.getName(),
          component.getRuntime().isEmpty() ? "container" : component.getRuntime(),
          PENDING,
          "-",
          "-",
          "-"
        };
        rows.add(wide ? widen(row, generation, "-", "-", component.getImage(), "-") : row);
      } else {
        rows.add(row(name, generation, status, wide));
      }
    }
    reported.values().forEach(status -> rows.add(row(name, generation, status, wide)));
    return rows;
  }

  private static String[] row(
      String service, String generation, AgentProto.ComponentStatus status, boolean wide) {
    String[] row = {
      service,
      status.getComponent(),
      Formats.orDash(status.getRuntime()),
      Formats.orDash(status.getState()),
      Formats.orDash(status.getVersion()),
      uptime(status),
      Formats.ports(status.getPortsList())
    };
    if (!wide) {
      return row;
    }
    return widen(
        row,
        generation,
        status.getObservedGeneration() == 0 ? "-" : Long.toString(status.getObservedGeneration()),
        status.getWorkloadId(),
        status.getImage(),
        status.getMessage());
  }

  private static String[] widen(
      String[] row,
      String generation,
      String observed,
      String workload,
      String image,
      String message) {
    String[] wide = Arrays.copyOf(row, row.length + WIDE_HEADER.length);
    wide[row.length] = generation;
    wide[row.length + 1] = observed;
    wide[row.length + 2] = Formats.orDash(workload);
    wide[row.length + 3] = Formats.orDash(image);
    // One row per component: a message of several lines is shown on one.
    wide[row.length + 4] = Formats.orDash(message.replace('\n', ' '));
    return wide;
  }

  /** How long it has run, as the agent counted it; {@code -} unless it is running. */
  static String uptime(AgentProto.ComponentStatus status) {
    if (!ComponentPhase.RUNNING.wire().equals(status.getState()) || !status.hasStartedAt()) {
      return "-";
    }
    return Durations.human(status.getUptimeSeconds());
  }
}
