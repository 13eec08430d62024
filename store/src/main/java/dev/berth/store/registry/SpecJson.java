package dev.berth.store.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.model.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of specs: canonical JSON written and read field by field. Explicit on purpose: a
 * renamed Java field must never orphan what a registry already holds, and the same spec always
 * gives the same bytes (so equal specs compare equal and a diff names real changes only).
 */
final class SpecJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private SpecJson() {}

  static String write(ComponentSpec component) {
    try {
      return MAPPER.writeValueAsString(toJson(component));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a component as JSON", e);
    }
  }

  static ComponentSpec readComponent(String json) {
    try {
      return fromJson(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new RegistryException("a stored component is not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A service's labels as canonical JSON (in their declared order), or null for none: the value of
   * the {@code labels} columns, which a registry older than labels left NULL.
   */
  static String writeLabels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return null;
    }
    ObjectNode node = MAPPER.createObjectNode();
    labels.forEach(node::put);
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write labels as JSON", e);
    }
  }

  /** The labels {@link #writeLabels} wrote; none for NULL. */
  static Map<String, String> readLabels(String json) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (json == null) {
      return labels;
    }
    try {
      MAPPER
          .readTree(json)
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    } catch (JsonProcessingException e) {
      throw new RegistryException("stored labels are not valid JSON: " + e.getMessage(), e);
    }
    return labels;
  }

  /** The whole service, for diffs: the same shape users write. */
  static ObjectNode toJson(ServiceSpec service) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", service.name());
    putIfSet(node, "node", service.node());
    node.put("state", service.desiredState().wire());
    putIfSet(node, "comment", service.comment());
    // Only where there are some: the diffs of services without labels read as before.
    if (!service.labels().isEmpty()) {
      ObjectNode labels = node.putObject("labels");
      service.labels().forEach(labels::put);
    }
    ArrayNode components = node.putArray("components");
    service.components().forEach(c -> components.add(toJson(c)));
    return node;
  }

  static ObjectNode toJson(ComponentSpec c) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", c.name());
    node.put("runtime", c.runtime().wire());
    putIfSet(node, "image", c.image());
    putIfSet(node, "executable", c.executable());
    ArrayNode cmd = node.putArray("cmd");
    c.cmd().forEach(cmd::add);
    ObjectNode env = node.putObject("env");
    c.env().forEach(env::put);
    ArrayNode volumes = node.putArray("volumes");
    c.volumes().forEach(v -> volumes.add(v.toString()));
    ArrayNode ports = node.putArray("ports");
    c.ports().forEach(p -> ports.add(p.toString()));
    putIfSet(node, "network", c.network());
    putIfSet(node, "user", c.user());
    node.put("restart", c.restart().wire());
    node.put("memory", c.memoryMb());
    node.put("vcpus", c.vcpus());
    ArrayNode routes = node.putArray("routes");
    for (RouteSpec route : c.routes()) {
      ObjectNode r = routes.addObject();
      r.put("name", route.name());
      r.put("port", route.port());
      r.put("mode", route.mode().wire());
      r.put("hostname", route.hostname());
    }
    if (c.health() != null) {
      ObjectNode health = node.putObject("health");
      health.put("type", c.health().type().wire());
      health.put("port", c.health().port());
      putIfSet(health, "route", c.health().route());
      putIfSet(health, "path", c.health().path());
      // Absent at their defaults: specs stored before probes had timing read back equal.
      HealthProbe defaults = new HealthProbe(c.health().type(), 0, null, null);
      if (c.health().liveness()) {
        health.put("liveness", true);
      }
      if (!c.health().period().equals(defaults.period())) {
        health.put("period_ms", c.health().period().toMillis());
      }
      if (!c.health().timeout().equals(defaults.timeout())) {
        health.put("timeout_ms", c.health().timeout().toMillis());
      }
      if (c.health().failureThreshold() != defaults.failureThreshold()) {
        health.put("failure_threshold", c.health().failureThreshold());
      }
      if (!c.health().initialDelay().equals(defaults.initialDelay())) {
        health.put("initial_delay_ms", c.health().initialDelay().toMillis());
      }
    }
    ObjectNode labels = node.putObject("labels");
    c.labels().forEach(labels::put);
    // Absent at its defaults: specs stored before updates had settings read back equal.
    if (!c.update().equals(UpdatePolicy.DEFAULTS)) {
      ObjectNode update = node.putObject("update");
      if (c.update().strategy() != null) {
        update.put("strategy", c.update().strategy().wire());
      }
      update.put("deadline_ms", c.update().deadline().toMillis());
      update.put("drain_ms", c.update().drain().toMillis());
      update.put("auto_revert", c.update().autoRevert());
    }
    // Only where there are some: a component stored before secrets existed keeps its bytes.
    if (!c.secrets().isEmpty()) {
      ArrayNode secrets = node.putArray("secrets");
      for (SecretRef secret : c.secrets()) {
        secrets.addObject().put("name", secret.name()).put("file", secret.file());
      }
    }
    return node;
  }

  static ComponentSpec fromJson(JsonNode node) {
    List<String> cmd = new ArrayList<>();
    node.path("cmd").forEach(arg -> cmd.add(arg.asText()));
    Map<String, String> env = new LinkedHashMap<>();
    node.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    List<VolumeMount> volumes = new ArrayList<>();
    node.path("volumes").forEach(v -> volumes.add(volume(v.asText())));
    List<PortMapping> ports = new ArrayList<>();
    node.path("ports").forEach(p -> ports.add(port(p.asText())));
    List<RouteSpec> routes = new ArrayList<>();
    for (JsonNode r : node.path("routes")) {
      routes.add(
          new RouteSpec(
              r.path("name").asText(),
              r.path("port").asInt(),
              enumOf(RouteMode.class, RouteMode::wire, r.path("mode").asText()),
              text(r, "hostname")));
    }
    HealthProbe health = null;
    JsonNode h = node.get("health");
    if (h != null) {
      health =
          new HealthProbe(
              enumOf(ProbeType.class, ProbeType::wire, h.path("type").asText()),
              h.path("port").asInt(),
              text(h, "route"),
              text(h, "path"),
              h.path("liveness").asBoolean(false),
              millis(h, "period_ms"),
              millis(h, "timeout_ms"),
              h.path("failure_threshold").asInt(HealthProbe.DEFAULT_FAILURE_THRESHOLD),
              millis(h, "initial_delay_ms"));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    node.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    UpdatePolicy update = null;
    JsonNode u = node.get("update");
    if (u != null) {
      update =
          new UpdatePolicy(
              u.hasNonNull("strategy")
                  ? enumOf(UpdateStrategy.class, UpdateStrategy::wire, u.path("strategy").asText())
                  : null,
              Duration.ofMillis(u.path("deadline_ms").asLong()),
              Duration.ofMillis(u.path("drain_ms").asLong()),
              u.path("auto_revert").asBoolean());
    }
    List<SecretRef> secrets = new ArrayList<>();
    for (JsonNode s : node.path("secrets")) {
      secrets.add(new SecretRef(s.path("name").asText(), s.path("file").asText()));
    }
    return new ComponentSpec(
        node.path("name").asText(),
        enumOf(RuntimeKind.class, RuntimeKind::wire, node.path("runtime").asText()),
        text(node, "image"),
        text(node, "executable"),
        cmd,
        env,
        volumes,
        ports,
        text(node, "network"),
        text(node, "user"),
        enumOf(RestartPolicy.class, RestartPolicy::wire, node.path("restart").asText()),
        node.path("memory").asInt(),
        node.path("vcpus").asInt(),
        routes,
        health,
        labels,
        update,
        secrets);
  }

  /** Stored values were valid when written; anything else means the file was tampered with. */
  private static <E extends Enum<E>> E enumOf(
      Class<E> type, java.util.function.Function<E, String> wire, String text) {
    return Wire.parse(type, wire, text)
        .orElseThrow(
            () -> new RegistryException("stored " + type.getSimpleName() + " is unknown: " + text));
  }

  // Stored volumes and ports use the same spelling as files; they were validated when applied.
  private static VolumeMount volume(String text) {
    String[] parts = text.split(":");
    return new VolumeMount(parts[0], parts[1], parts.length > 2 && parts[2].equals("ro"));
  }

  private static PortMapping port(String text) {
    int last = text.lastIndexOf(':');
    int previous = text.lastIndexOf(':', last - 1);
    int container = Integer.parseInt(text.substring(last + 1));
    if (previous < 0) {
      return new PortMapping(null, Integer.parseInt(text.substring(0, last)), container);
    }
    String ip = text.substring(0, previous);
    if (ip.startsWith("[")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    return new PortMapping(ip, Integer.parseInt(text.substring(previous + 1, last)), container);
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A duration stored in milliseconds, or null when absent (the default then applies). */
  private static Duration millis(JsonNode node, String field) {
    return node.hasNonNull(field) ? Duration.ofMillis(node.get(field).asLong()) : null;
  }
}
