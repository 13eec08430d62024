package dev.berth.store.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.DurationSyntax;
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
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.toml.FieldPath;
import dev.berth.store.toml.Table;
import dev.berth.store.toml.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the tree of one service-definition file onto a {@link ServiceSpec}.
 *
 * <p>It reports only what keeps the model from being built: unknown keys, values of the wrong type,
 * integers beyond an int, strings of the wrong shape and enum values that do not exist. Whether the
 * values it could build are allowed is {@code SpecValidator}'s job, not repeated here.
 */
final class SpecMapper {

  // The predecessor's keys first, then Berth's, as the documentation lists them.
  static final List<String> SERVICE_KEYS =
      List.of(
          "name", "node", "active", "path", "build", "components", "state", "comment", "labels");
  static final List<String> BUILD_KEYS = List.of("images");
  static final List<String> COMPONENT_KEYS =
      List.of(
          "name",
          "image",
          "volumes",
          "cmd",
          "env",
          "network",
          "user",
          "restart",
          "ports",
          "routes",
          "runtime",
          "executable",
          "memory",
          "vcpus",
          "health",
          "labels",
          "update",
          "secrets");
  static final List<String> ROUTE_KEYS = List.of("name", "port", "mode", "hostname");
  static final String DEFAULT_ROUTE_NAME = "default";
  static final List<String> HEALTH_KEYS =
      List.of(
          "type",
          "port",
          "route",
          "path",
          "liveness",
          "period",
          "timeout",
          "failure_threshold",
          "initial_delay");
  static final List<String> UPDATE_KEYS = List.of("strategy", "deadline", "drain", "auto_revert");
  static final List<String> SECRET_KEYS = List.of("name", "file");

  /**
   * What one file mapped to.
   *
   * @param spec the service; complete only when {@code problems} is empty
   * @param notes what was accepted and ignored, without the file name
   * @param problems what kept the model from being built, with field paths
   */
  record Mapped(ServiceSpec spec, List<String> notes, List<Violation> problems) {}

  private final List<Violation> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private SpecMapper() {}

  static Mapped map(ObjectNode root) {
    SpecMapper mapper = new SpecMapper();
    ServiceSpec spec = mapper.service(Table.root(root, mapper.problems));
    return new Mapped(spec, List.copyOf(mapper.notes), List.copyOf(mapper.problems));
  }

  private ServiceSpec service(Table root) {
    root.rejectUnknownKeys(SERVICE_KEYS);
    String name = root.string("name");
    String node = root.string("node");
    DesiredState state = desiredState(root);
    ignoreBuildSettings(root);
    List<ComponentSpec> components = new ArrayList<>();
    for (Table component : root.tables("components", "[[components]]")) {
      components.add(component(component));
    }
    return new ServiceSpec(
        name, node, state, root.string("comment"), components, root.stringTable("labels"));
  }

  /**
   * The predecessor's {@code active = false} and Berth's {@code state = "stopped"} say the same
   * thing; a file that says both ways must say it consistently.
   */
  private static DesiredState desiredState(Table root) {
    Boolean active = root.bool("active");
    DesiredState state = root.choice("state", DesiredState.class, DesiredState::wire);
    if (state == null) {
      return Boolean.FALSE.equals(active) ? DesiredState.STOPPED : DesiredState.RUNNING;
    }
    if (active != null && active != (state == DesiredState.RUNNING)) {
      root.report(
          "state",
          Rules.quote(state.wire())
              + " contradicts active = "
              + active
              + "; keep one of the two (active = false means \"stopped\")");
    }
    return state;
  }

  /** The predecessor built images from sources; Berth runs images it is given. */
  private void ignoreBuildSettings(Table root) {
    String sourcePath = root.string("path");
    if (sourcePath != null) {
      notes.add(
          "path "
              + Rules.quote(sourcePath)
              + " is ignored: it is where sources were built from, and Berth does not build");
    }
    Table build = root.table("build");
    if (build != null) {
      build.rejectUnknownKeys(BUILD_KEYS);
      // Only its type is checked: what it holds describes builds, which Berth never reads.
      boolean hasImages = build.has("images") && build.table("images") != null;
      notes.add(
          (hasImages ? "[build.images]" : "[build]")
              + " is ignored: Berth runs images, it does not build them");
    }
  }

  private ComponentSpec component(Table c) {
    c.rejectUnknownKeys(COMPONENT_KEYS);
    RuntimeKind runtime =
        c.has("runtime")
            ? c.choice("runtime", RuntimeKind.class, RuntimeKind::wire)
            : RuntimeKind.CONTAINER;
    List<RouteSpec> routes = new ArrayList<>();
    for (Table route : c.tables("routes", "[[components.routes]]")) {
      routes.add(route(route));
    }
    Table health = c.table("health");
    return new ComponentSpec(
        c.string("name"),
        runtime,
        c.string("image"),
        c.string("executable"),
        c.strings("cmd"),
        env(c),
        volumes(c),
        ports(c),
        c.string("network"),
        c.string("user"),
        c.choice("restart", RestartPolicy.class, RestartPolicy::wire),
        c.integer("memory", mib -> Rules.range(mib, 1, Rules.MAX_MEMORY_MB)),
        c.integer("vcpus", n -> Rules.range(n, 1, Rules.MAX_VCPUS)),
        routes,
        health == null ? null : health(health),
        c.stringTable("labels"),
        update(c),
        secrets(c));
  }

  /**
   * {@code [components.update]}, or its shorthand {@code update = "recreate"} (a strategy and every
   * other setting at its default); null when absent.
   */
  private static UpdatePolicy update(Table c) {
    JsonNode value = c.raw("update");
    if (value == null) {
      return null;
    }
    if (value.isTextual()) {
      UpdateStrategy strategy = c.choice("update", UpdateStrategy.class, UpdateStrategy::wire);
      return strategy == null ? null : UpdatePolicy.of(strategy);
    }
    Table u = c.table("update");
    if (u == null) {
      return null;
    }
    u.rejectUnknownKeys(UPDATE_KEYS);
    return new UpdatePolicy(
        u.choice("strategy", UpdateStrategy.class, UpdateStrategy::wire),
        u.duration("deadline", UpdatePolicy.DEFAULT_DEADLINE),
        drain(u),
        u.bool("auto_revert", false));
  }

  private static List<SecretRef> secrets(Table c) {
    List<SecretRef> secrets = new ArrayList<>();
    for (Table secret : c.tables("secrets", "[[components.secrets]]")) {
      secret.rejectUnknownKeys(SECRET_KEYS);
      secrets.add(new SecretRef(secret.string("name"), secret.string("file")));
    }
    return secrets;
  }

  /** A table (Berth), or an array of {@code KEY=VALUE} strings (the predecessor). */
  private Map<String, String> env(Table c) {
    JsonNode value = c.raw("env");
    if (value == null) {
      return Map.of();
    }
    if (value.isObject()) {
      return c.stringTable("env");
    }
    if (!value.isArray()) {
      c.report(
          "env",
          "must be a table or an array of \"KEY=VALUE\" strings, was " + Values.describe(value));
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < value.size(); i++) {
      String path = FieldPath.element(c.pathOf("env"), i);
      String entry = Values.string(value.get(i), path, problems);
      if (entry == null) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals < 0) {
        problems.add(new Violation(path, "must be \"KEY=VALUE\", was " + Rules.quote(entry)));
        continue;
      }
      String key = entry.substring(0, equals);
      Integer first = firstIndex.putIfAbsent(key, i);
      if (first != null) {
        // A map keeps one value; which one the author meant is not ours to guess.
        problems.add(
            new Violation(
                path,
                "sets "
                    + Rules.quote(key)
                    + " again; "
                    + FieldPath.element(c.pathOf("env"), first)
                    + " sets it already"));
        continue;
      }
      env.put(key, entry.substring(equals + 1));
    }
    return env;
  }

  private List<VolumeMount> volumes(Table c) {
    List<VolumeMount> volumes = new ArrayList<>();
    for (Table.Element element : c.stringElements("volumes")) {
      VolumeMount volume = VolumeSyntax.parse(element.text(), element.path(), problems);
      if (volume != null) {
        volumes.add(volume);
      }
    }
    return volumes;
  }

  private List<PortMapping> ports(Table c) {
    List<PortMapping> ports = new ArrayList<>();
    for (Table.Element element : c.stringElements("ports")) {
      PortMapping port = PortSyntax.parse(element.text(), element.path(), problems);
      if (port != null) {
        ports.add(port);
      }
    }
    return ports;
  }

  /**
   * The predecessor's defaults: a route without a name is {@value #DEFAULT_ROUTE_NAME}, without a
   * mode {@code l4}; a hostname is optional (see {@code SpecValidator} for what its absence means).
   */
  private static RouteSpec route(Table r) {
    r.rejectUnknownKeys(ROUTE_KEYS);
    return new RouteSpec(
        r.has("name") ? r.string("name") : DEFAULT_ROUTE_NAME,
        r.integer("port", Rules::port),
        r.has("mode") ? r.choice("mode", RouteMode.class, RouteMode::wire) : RouteMode.L4,
        r.string("hostname"));
  }

  private static HealthProbe health(Table h) {
    h.rejectUnknownKeys(HEALTH_KEYS);
    return new HealthProbe(
        h.choice("type", ProbeType.class, ProbeType::wire),
        h.integer("port", Rules::port),
        h.string("route"),
        h.string("path"),
        h.bool("liveness", false),
        h.duration("period", HealthProbe.DEFAULT_PERIOD),
        h.duration("timeout", HealthProbe.DEFAULT_TIMEOUT),
        h.has("failure_threshold")
            ? h.integer("failure_threshold", n -> Rules.range(n, 1, 100))
            : HealthProbe.DEFAULT_FAILURE_THRESHOLD,
        delay(h, "initial_delay"));
  }

  /**
   * A duration that may be zero ({@code "0s"}), or null when absent or (after reporting) not one.
   */
  /** The drain time, which may be 0s (the old workload stops as soon as the proxy switched). */
  private static Duration drain(Table u) {
    Duration drain = delay(u, "drain");
    return drain == null ? UpdatePolicy.DEFAULT_DRAIN : drain;
  }

  private static Duration delay(Table t, String key) {
    String text = t.string(key);
    if (text == null) {
      return null;
    }
    Duration parsed = DurationSyntax.parse(text);
    if (parsed == null) {
      t.report(
          key,
          "must be a duration such as " + DurationSyntax.EXAMPLES + ", was " + Rules.quote(text));
    }
    return parsed;
  }
}
