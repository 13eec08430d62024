package dev.berth.runtime.podman;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads podman's two JSON views of a container into a {@link Workload}: an entry of {@code podman
 * ps -a --format json} and an entry of {@code podman container inspect}. They name the same facts
 * differently (ps: {@code StartedAt} in Unix seconds, ports as a list; inspect: RFC 3339 times,
 * ports keyed by {@code "8080/tcp"}), hence two readers over one vocabulary.
 */
final class ContainerJson {

  /** Go's zero time, which podman prints for "never": {@code 0001-01-01T00:00:00Z}. */
  private static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  private ContainerJson() {}

  /** One entry of {@code podman ps -a --format json}. */
  static Workload fromPs(JsonNode entry) {
    WorkloadState state = state(entry.path("State").asText());
    JsonNode names = entry.path("Names");
    return new Workload(
        entry.path("Id").asText(),
        names.isArray() && !names.isEmpty() ? names.get(0).asText() : "",
        labels(entry.path("Labels")),
        state,
        state == WorkloadState.EXITED ? entry.path("ExitCode").asInt() : null,
        epochSeconds(entry.path("StartedAt").asLong(0)),
        entry.path("Image").asText(),
        psPorts(entry.path("Ports")),
        WorkloadKind.CONTAINER);
  }

  /** One entry of {@code podman container inspect}. */
  static Workload fromInspect(JsonNode entry) {
    JsonNode stateNode = entry.path("State");
    WorkloadState state = state(stateNode.path("Status").asText());
    return new Workload(
        entry.path("Id").asText(),
        entry.path("Name").asText(),
        labels(entry.path("Config").path("Labels")),
        state,
        state == WorkloadState.EXITED ? stateNode.path("ExitCode").asInt() : null,
        rfc3339(stateNode.path("StartedAt").asText(null)),
        entry.path("ImageName").asText(),
        inspectPorts(entry.path("HostConfig").path("PortBindings")),
        WorkloadKind.CONTAINER);
  }

  /**
   * podman's container states onto Berth's five. "configured" and "initialized" are steps of
   * creation that never ran the command; "stopping" still runs it; "stopped" has exited but podman
   * has not cleaned up after it yet. "removing" and anything a later podman adds say nothing a
   * reconciler could act on: UNKNOWN, and it looks again.
   */
  static WorkloadState state(String podmanState) {
    return switch (podmanState.toLowerCase(Locale.ROOT)) {
      case "created", "configured", "initialized" -> WorkloadState.CREATED;
      case "running", "stopping" -> WorkloadState.RUNNING;
      case "exited", "stopped" -> WorkloadState.EXITED;
      case "paused" -> WorkloadState.PAUSED;
      default -> WorkloadState.UNKNOWN;
    };
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> label : node.properties()) {
      labels.put(label.getKey(), label.getValue().asText());
    }
    return labels;
  }

  /**
   * ps lists a published range as one entry with {@code range > 1}; Berth wants one binding per
   * port. Only TCP: a {@link PortBinding} has no protocol, and reporting a UDP port as one would
   * make a TCP probe of it fail for no reason.
   */
  private static List<PortBinding> psPorts(JsonNode node) {
    List<PortBinding> ports = new ArrayList<>();
    for (JsonNode port : node) {
      if (!"tcp".equals(port.path("protocol").asText("tcp"))) {
        continue;
      }
      String hostIp = emptyToNull(port.path("host_ip").asText());
      int hostPort = port.path("host_port").asInt();
      int containerPort = port.path("container_port").asInt();
      int range = Math.max(1, port.path("range").asInt(1));
      for (int i = 0; i < range; i++) {
        ports.add(new PortBinding(null, hostIp, hostPort + i, containerPort + i));
      }
    }
    return ports;
  }

  /** {@code {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]}}. */
  private static List<PortBinding> inspectPorts(JsonNode node) {
    List<PortBinding> ports = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String[] portAndProtocol = entry.getKey().split("/", 2);
      if (portAndProtocol.length == 2 && !portAndProtocol[1].equals("tcp")) {
        continue;
      }
      int containerPort = Integer.parseInt(portAndProtocol[0]);
      for (JsonNode binding : entry.getValue()) {
        ports.add(
            new PortBinding(
                null,
                emptyToNull(binding.path("HostIp").asText()),
                Integer.parseInt(binding.path("HostPort").asText("0")),
                containerPort));
      }
    }
    return ports;
  }

  private static Instant epochSeconds(long seconds) {
    return seconds <= 0 || seconds == GO_ZERO_TIME_SECONDS ? null : Instant.ofEpochSecond(seconds);
  }

  /** podman prints local time with an offset unless TZ is UTC; both parse to the same instant. */
  static Instant rfc3339(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Instant instant = OffsetDateTime.parse(text).toInstant();
    return instant.getEpochSecond() <= GO_ZERO_TIME_SECONDS ? null : instant;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
