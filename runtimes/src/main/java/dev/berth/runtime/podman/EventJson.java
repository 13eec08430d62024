package dev.berth.runtime.podman;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeEvent.Type;
import dev.berth.runtime.WorkloadKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one line of {@code podman events --format json}:
 *
 * <pre>{@code
 * {"ContainerExitCode":137,"ID":"93fe…","Image":"localhost/x:1","Name":"web","Status":"died",
 *  "Time":"2026-11-22T01:58:04.146603751Z","Type":"container","Attributes":{"berth.service":"a"}}
 * }</pre>
 *
 * {@code Attributes} holds the container's labels.
 */
final class EventJson {

  private EventJson() {}

  /**
   * The event, if it is one Berth cares about. The rest ({@code init}, {@code attach}, {@code
   * kill}, {@code cleanup}, {@code exec}, {@code pause}…) either come with one of these or change
   * nothing a reconciler would act on before its next relist.
   */
  static Optional<RuntimeEvent> parse(JsonNode event) {
    if (!"container".equals(event.path("Type").asText())) {
      return Optional.empty();
    }
    return type(event.path("Status").asText())
        .map(
            type ->
                new RuntimeEvent(
                    type,
                    event.path("ID").asText(),
                    event.path("Name").asText(),
                    labels(event.path("Attributes")),
                    WorkloadKind.CONTAINER,
                    type == Type.DIED && event.has("ContainerExitCode")
                        ? event.path("ContainerExitCode").asInt()
                        : null,
                    ContainerJson.rfc3339(event.path("Time").asText(null))));
  }

  /**
   * podman's status words onto Berth's event types. podman 4.3 reports an OOM kill only as {@code
   * died} with exit code 137 (and, where the kernel tells conmon, an {@code oom} event).
   */
  static Optional<Type> type(String status) {
    return switch (status) {
      case "create" -> Optional.of(Type.CREATED);
      case "start" -> Optional.of(Type.STARTED);
      case "died" -> Optional.of(Type.DIED);
      case "oom" -> Optional.of(Type.OOM);
      case "remove" -> Optional.of(Type.REMOVED);
      default -> Optional.empty();
    };
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> attribute : node.properties()) {
      labels.put(attribute.getKey(), attribute.getValue().asText());
    }
    return labels;
  }
}
