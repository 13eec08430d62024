package dev.berth.runner.cli;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.AgentProto;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/** How values of the API are shown in the CLI's text output. */
final class Formats {

  private Formats() {}

  /** {@code value}, or {@code -} when it is empty, so a table shows that there is none. */
  static String orDash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }

  /** An instant in UTC to the second ({@code 2024-05-01T12:00:01Z}), or {@code -} when unset. */
  static String time(Timestamp timestamp) {
    if (timestamp == null || (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0)) {
      return "-";
    }
    return Instant.ofEpochSecond(timestamp.getSeconds()).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * The host ports of a component, as {@code 127.0.0.1:10000->8080 (http)}: host address and port,
   * the component's port, and the route it serves, if any. {@code -} when there are none.
   */
  static String ports(List<AgentProto.HostPort> ports) {
    if (ports.isEmpty()) {
      return "-";
    }
    return ports.stream().map(Formats::port).collect(Collectors.joining(", "));
  }

  static String port(AgentProto.HostPort port) {
    String ip = port.getHostIp().isEmpty() ? "0.0.0.0" : port.getHostIp();
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return host
        + ":"
        + port.getHostPort()
        + "->"
        + port.getContainerPort()
        + (port.getRoute().isEmpty() ? "" : " (" + port.getRoute() + ")");
  }

  /**
   * One event on one line: {@code 2024-05-01T12:00:01Z Warning hello/web Failed: port 8080 is
   * taken}. An event that happened several times shows when it last did, and how often since when,
   * as kubectl does: {@code 2024-05-01T12:04:13Z Warning hello/web Failed (x5 over 4m12s): port
   * 8080 is taken}. Used for streams too, so it cannot be aligned as a table would be; the type is
   * padded to the longer of its two values.
   */
  static String event(AgentProto.Event event) {
    String subject =
        event.getService() + (event.getComponent().isEmpty() ? "" : "/" + event.getComponent());
    boolean repeated = event.getCount() > 1 && event.hasLastSeen();
    return time(repeated ? event.getLastSeen() : event.getAt())
        + "  "
        + String.format("%-7s", event.getType())
        + "  "
        + subject
        + "  "
        + event.getReason()
        + (repeated ? " " + series(event) : "")
        + (event.getMessage().isEmpty() ? "" : ": " + event.getMessage());
  }

  /** {@code (x5 over 4m12s)}: how often, and from the first time to the last. */
  private static String series(AgentProto.Event event) {
    long over = event.getLastSeen().getSeconds() - event.getAt().getSeconds();
    return "(x" + event.getCount() + " over " + Durations.human(over) + ")";
  }

  /**
   * One changed field, as the store shows it: {@code + path: value} for a field that is new, {@code
   * - path: value} for one that is gone, {@code ~ path: before -> after} otherwise. Values are
   * JSON, so an empty string on the wire can only mean "absent".
   */
  static String change(AgentProto.FieldChange change) {
    if (change.getBefore().isEmpty()) {
      return "+ " + change.getPath() + ": " + change.getAfter();
    }
    if (change.getAfter().isEmpty()) {
      return "- " + change.getPath() + ": " + change.getBefore();
    }
    return "~ " + change.getPath() + ": " + change.getBefore() + " -> " + change.getAfter();
  }

  /** {@code 1 service}, {@code 3 services}. */
  static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
