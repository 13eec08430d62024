package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code berth status SERVICE} adds below the table: the declaration, conditions, events. */
final class ServiceDetails {

  private ServiceDetails() {}

  static void print(AgentProto.Service service, PrintWriter out) {
    String desired = service.getSpec().getDesiredState();
    AlignedColumns declaration =
        AlignedColumns.withoutHeader(2)
            .row("desired", desired.isEmpty() ? "running" : desired)
            .row("generation", Long.toString(service.getGeneration()))
            .row("source", Formats.orDash(service.getSource()))
            .row("updated", Formats.time(service.getUpdatedAt()));
    if (service.getSpec().getLabelsCount() > 0) {
      // As a selector writes them, so that the line can be pasted after -l.
      declaration.row("labels", labels(service.getSpec().getLabelsMap()));
    }
    declaration.print(out);
    out.println();
    if (service.getConditionsCount() == 0) {
      out.println("Conditions: none reported yet");
    } else {
      out.println("Conditions:");
      AlignedColumns conditions =
          AlignedColumns.withHeader("COMPONENT", "TYPE", "STATUS", "REASON", "MESSAGE", "SINCE");
      for (AgentProto.Condition c : service.getConditionsList()) {
        conditions.row(
            Formats.orDash(c.getComponent()),
            c.getType(),
            c.getStatus(),
            Formats.orDash(c.getReason()),
            Formats.orDash(c.getMessage()),
            Formats.time(c.getLastTransition()));
      }
      conditions.print(out, "  ");
    }
    out.println();
    printEvents("Events", service.getEventsList(), out);
  }

  /** {@code key=value} pairs by key, comma-separated. */
  static String labels(Map<String, String> labels) {
    return String.join(
        ",",
        new TreeMap<>(labels)
            .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** The events under a heading, oldest first, as the agent sends them. */
  static void printEvents(String heading, List<AgentProto.Event> events, PrintWriter out) {
    if (events.isEmpty()) {
      out.println(heading + ": none recorded");
      return;
    }
    out.println(heading + ":");
    events.forEach(event -> out.println("  " + Formats.event(event)));
  }
}
