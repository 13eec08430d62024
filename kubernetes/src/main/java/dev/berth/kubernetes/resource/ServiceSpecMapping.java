package dev.berth.kubernetes.resource;

import dev.berth.kubernetes.resource.BerthServiceSpec.Component;
import dev.berth.kubernetes.resource.BerthServiceSpec.Health;
import dev.berth.kubernetes.resource.BerthServiceSpec.Mount;
import dev.berth.kubernetes.resource.BerthServiceSpec.PublishedPort;
import dev.berth.kubernetes.resource.BerthServiceSpec.Route;
import dev.berth.kubernetes.resource.BerthServiceSpec.Update;
import dev.berth.kubernetes.resource.BerthServiceSpec.Variable;
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
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.model.Wire;
import dev.berth.spec.validation.Violation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one mapping between a {@link BerthServiceSpec} and the spec module's {@link ServiceSpec},
 * both ways, so that a cluster runs the validator, identity and status words of a node on what it
 * was given. {@code toServiceSpec(fromServiceSpec(spec))} gives {@code spec} back.
 *
 * <p>Reading a resource reports what cannot become a {@code ServiceSpec} at all, as a file's loader
 * does before the validator: an unknown enum word, an env name given twice or not at all, a null
 * entry. Everything else is the validator's to judge, so values pass through as written. The file's
 * defaults apply: {@code runtime = container}, {@code restart = no}, {@code state = running}, a
 * route's {@code name = default} and {@code mode = l4}, a health probe's and an update's timing
 * (kubelet's, and 60s / 5s), and absent numbers are 0. Durations are read as a file's are.
 */
public final class ServiceSpecMapping {

  /** A route's name when it has none, as in a file. */
  public static final String DEFAULT_ROUTE_NAME = "default";

  private ServiceSpecMapping() {}

  /**
   * The service a resource declares, or every reason it declares none.
   *
   * @param spec the service, or null when {@link #violations} is not empty
   * @param violations what keeps the resource from being a service, with field paths from {@code
   *     spec} ({@code components[0].runtime}); empty when {@code spec} is set
   */
  public record Converted(ServiceSpec spec, List<Violation> violations) {

    public Converted {
      violations = List.copyOf(violations);
      if ((spec == null) == violations.isEmpty()) {
        throw new IllegalArgumentException("exactly one of a spec and violations");
      }
    }

    public boolean ok() {
      return spec != null;
    }
  }

  /** The service {@code resource} declares: its {@code metadata.name} and its spec. */
  public static Converted toServiceSpec(BerthService resource) {
    return toServiceSpec(resource.getMetadata().getName(), resource.getSpec());
  }

  /**
   * The service named {@code name} that {@code spec} declares.
   *
   * @param spec may be null: a resource without a spec declares a service without components
   */
  public static Converted toServiceSpec(String name, BerthServiceSpec spec) {
    List<Violation> violations = new ArrayList<>();
    if (spec == null) {
      spec = new BerthServiceSpec(null, null, null, null);
    }
    DesiredState state =
        word(
            DesiredState.class,
            DesiredState::wire,
            spec.state(),
            DesiredState.RUNNING,
            "state",
            violations);
    List<ComponentSpec> components = new ArrayList<>();
    List<Component> declared = orEmpty(spec.components());
    for (int i = 0; i < declared.size(); i++) {
      String path = "components[" + i + "]";
      Component component = declared.get(i);
      if (component == null) {
        violations.add(new Violation(path, "must be a component, was null"));
        continue;
      }
      List<Violation> own = new ArrayList<>();
      ComponentSpec converted = component(component, own);
      own.forEach(v -> violations.add(v.within(path)));
      components.add(converted);
    }
    if (!violations.isEmpty()) {
      return new Converted(null, violations);
    }
    return new Converted(
        new ServiceSpec(name, spec.node(), state, spec.comment(), components), List.of());
  }

  private static ComponentSpec component(Component c, List<Violation> violations) {
    ComponentSpec.Builder builder =
        ComponentSpec.builder(
                c.name(),
                word(
                    RuntimeKind.class,
                    RuntimeKind::wire,
                    c.runtime(),
                    RuntimeKind.CONTAINER,
                    "runtime",
                    violations))
            .image(c.image())
            .executable(c.executable())
            .cmd(cmd(orEmpty(c.cmd()), violations))
            .env(env(orEmpty(c.env()), violations))
            .network(c.network())
            .user(c.user())
            .restart(
                word(
                    RestartPolicy.class,
                    RestartPolicy::wire,
                    c.restart(),
                    RestartPolicy.NO,
                    "restart",
                    violations))
            .memoryMb(orZero(c.memory()))
            .vcpus(orZero(c.vcpus()))
            .labels(c.labels() == null ? Map.of() : c.labels());
    List<VolumeMount> volumes = new ArrayList<>();
    forEach(
        c.volumes(),
        "volumes",
        violations,
        v ->
            volumes.add(
                new VolumeMount(v.host(), v.container(), Boolean.TRUE.equals(v.readOnly()))));
    builder.volumes(volumes);
    List<PortMapping> ports = new ArrayList<>();
    forEach(
        c.ports(),
        "ports",
        violations,
        p -> ports.add(new PortMapping(p.ip(), orZero(p.host()), orZero(p.container()))));
    builder.ports(ports);
    List<RouteSpec> routes = new ArrayList<>();
    List<Route> declaredRoutes = orEmpty(c.routes());
    for (int i = 0; i < declaredRoutes.size(); i++) {
      Route r = declaredRoutes.get(i);
      String path = "routes[" + i + "]";
      if (r == null) {
        violations.add(new Violation(path, "must be a route, was null"));
        continue;
      }
      RouteMode mode =
          word(
              RouteMode.class, RouteMode::wire, r.mode(), RouteMode.L4, path + ".mode", violations);
      routes.add(
          new RouteSpec(
              r.name() == null ? DEFAULT_ROUTE_NAME : r.name(),
              orZero(r.port()),
              mode,
              r.hostname()));
    }
    builder.routes(routes);
    Health h = c.health();
    if (h != null) {
      ProbeType type =
          h.type() == null
              ? null // the validator says "health.type: must be set"
              : word(ProbeType.class, ProbeType::wire, h.type(), null, "health.type", violations);
      builder.health(
          new HealthProbe(
              type,
              orZero(h.port()),
              h.route(),
              h.path(),
              Boolean.TRUE.equals(h.liveness()),
              duration(h.period(), "health.period", violations),
              duration(h.timeout(), "health.timeout", violations),
              Objects.requireNonNullElse(
                  h.failureThreshold(), HealthProbe.DEFAULT_FAILURE_THRESHOLD),
              duration(h.initialDelay(), "health.initial_delay", violations)));
    }
    Update u = c.update();
    if (u != null) {
      builder.update(
          new UpdatePolicy(
              word(
                  UpdateStrategy.class,
                  UpdateStrategy::wire,
                  u.strategy(),
                  null,
                  "update.strategy",
                  violations),
              duration(u.deadline(), "update.deadline", violations),
              duration(u.drain(), "update.drain", violations),
              Boolean.TRUE.equals(u.autoRevert())));
    }
    return builder.build();
  }

  /**
   * The duration {@code text} writes, as a file writes it; null (the record's default) when absent
   * or, after a violation at {@code path}, not a duration. Its range is the validator's to judge.
   */
  private static Duration duration(String text, String path, List<Violation> violations) {
    if (text == null) {
      return null;
    }
    Duration parsed = DurationSyntax.parse(text);
    if (parsed == null) {
      violations.add(
          new Violation(
              path,
              "must be a duration such as " + DurationSyntax.EXAMPLES + ", was \"" + text + "\""));
    }
    return parsed;
  }

  /** The arguments; a null one is refused here, since a spec's lists hold no nulls. */
  private static List<String> cmd(List<String> cmd, List<Violation> violations) {
    for (int i = 0; i < cmd.size(); i++) {
      if (cmd.get(i) == null) {
        violations.add(new Violation("cmd[" + i + "]", "must be a string, was null"));
      }
    }
    return cmd.stream().filter(Objects::nonNull).toList();
  }

  /**
   * The env in its declared order. A name given twice is refused rather than letting one entry win,
   * as a file's loader refuses a key given twice.
   */
  private static Map<String, String> env(List<Variable> variables, List<Violation> violations) {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Integer> firstByName = new HashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable variable = variables.get(i);
      String path = "env[" + i + "]";
      if (variable == null) {
        violations.add(new Violation(path, "must be {name, value}, was null"));
      } else if (variable.name() == null) {
        violations.add(new Violation(path + ".name", "must be set"));
      } else {
        Integer first = firstByName.putIfAbsent(variable.name(), i);
        if (first != null) {
          violations.add(
              new Violation(
                  path + ".name",
                  "\"" + variable.name() + "\" is set twice: env[" + first + "] sets it too"));
        } else {
          // As in a Pod, a variable without a value is set to the empty string.
          env.put(variable.name(), Objects.requireNonNullElse(variable.value(), ""));
        }
      }
    }
    return env;
  }

  /**
   * The enum value a word names; {@code absent} when there is no word; otherwise a violation at
   * {@code path} naming the choices, and {@code absent}.
   */
  private static <E extends Enum<E>> E word(
      Class<E> type,
      Function<E, String> wire,
      String text,
      E absent,
      String path,
      List<Violation> violations) {
    if (text == null) {
      return absent;
    }
    Optional<E> value = Wire.parse(type, wire, text);
    if (value.isEmpty()) {
      violations.add(
          new Violation(
              path, "must be one of " + Wire.choices(type, wire) + ", was \"" + text + "\""));
      return absent;
    }
    return value.get();
  }

  private static <T> void forEach(
      List<T> items, String path, List<Violation> violations, Consumer<T> action) {
    List<T> all = orEmpty(items);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) == null) {
        violations.add(new Violation(path + "[" + i + "]", "must be an object, was null"));
      } else {
        action.accept(all.get(i));
      }
    }
  }

  // ---- the other way ----

  /**
   * The resource that declares {@code service}, for {@code kubectl apply}: its name is the
   * service's, its labels the service's labels, and it has no namespace (kubectl's own, or {@code
   * -n}, applies).
   */
  public static BerthService toResource(ServiceSpec service) {
    BerthService resource = new BerthService();
    // The service's labels follow Kubernetes' syntax so that they are the resource's own labels;
    // they are not read back from a resource (metadata labels are free for cluster tools to add).
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(service.name())
            .withLabels(service.labels().isEmpty() ? null : new LinkedHashMap<>(service.labels()))
            .build());
    resource.setSpec(fromServiceSpec(service));
    return resource;
  }

  /**
   * The spec of a resource that declares {@code service}. Keys at the file's defaults and empty
   * lists are left out, as a person writing it would.
   */
  public static BerthServiceSpec fromServiceSpec(ServiceSpec service) {
    List<Component> components = new ArrayList<>();
    for (ComponentSpec c : service.components()) {
      components.add(fromComponent(c));
    }
    return new BerthServiceSpec(
        service.node(),
        service.desiredState() == DesiredState.RUNNING ? null : service.desiredState().wire(),
        service.comment(),
        components.isEmpty() ? null : components);
  }

  private static Component fromComponent(ComponentSpec c) {
    List<Variable> env = new ArrayList<>();
    c.env().forEach((name, value) -> env.add(new Variable(name, value)));
    List<Mount> volumes =
        c.volumes().stream()
            .map(
                v -> new Mount(v.hostPath(), v.containerPath(), v.readOnly() ? Boolean.TRUE : null))
            .toList();
    List<PublishedPort> ports =
        c.ports().stream()
            .map(p -> new PublishedPort(p.hostIp(), p.hostPort(), p.containerPort()))
            .toList();
    List<Route> routes =
        c.routes().stream()
            .map(
                r ->
                    new Route(
                        r.name(),
                        r.port(),
                        r.mode() == null ? null : r.mode().wire(),
                        r.hostname()))
            .toList();
    HealthProbe h = c.health();
    Health health =
        h == null
            ? null
            : new Health(
                h.type() == null ? null : h.type().wire(),
                h.port() == 0 ? null : h.port(),
                h.route(),
                h.path(),
                h.liveness() ? Boolean.TRUE : null,
                unlessDefault(h.period(), HealthProbe.DEFAULT_PERIOD),
                unlessDefault(h.timeout(), HealthProbe.DEFAULT_TIMEOUT),
                h.failureThreshold() == HealthProbe.DEFAULT_FAILURE_THRESHOLD
                    ? null
                    : h.failureThreshold(),
                unlessDefault(h.initialDelay(), HealthProbe.DEFAULT_INITIAL_DELAY));
    return new Component(
        c.name(),
        c.runtime() == null || c.runtime() == RuntimeKind.CONTAINER ? null : c.runtime().wire(),
        c.image(),
        c.executable(),
        nullIfEmpty(c.cmd()),
        nullIfEmpty(env),
        nullIfEmpty(volumes),
        nullIfEmpty(ports),
        c.network(),
        c.user(),
        c.restart() == RestartPolicy.NO ? null : c.restart().wire(),
        c.memoryMb() == 0 ? null : c.memoryMb(),
        c.vcpus() == 0 ? null : c.vcpus(),
        nullIfEmpty(routes),
        health,
        c.labels().isEmpty() ? null : new LinkedHashMap<>(c.labels()),
        update(c.update()));
  }

  /** The update policy's keys that are not at their defaults, or null when none is. */
  private static Update update(UpdatePolicy u) {
    if (u.equals(UpdatePolicy.DEFAULTS)) {
      return null;
    }
    return new Update(
        u.strategy() == null ? null : u.strategy().wire(),
        unlessDefault(u.deadline(), UpdatePolicy.DEFAULT_DEADLINE),
        unlessDefault(u.drain(), UpdatePolicy.DEFAULT_DRAIN),
        u.autoRevert() ? Boolean.TRUE : null);
  }

  /** {@code value} as a file writes it, or null at {@code defaultValue}, as a person leaves it. */
  private static String unlessDefault(Duration value, Duration defaultValue) {
    return value == null || value.equals(defaultValue) ? null : DurationSyntax.format(value);
  }

  private static <T> List<T> nullIfEmpty(List<T> list) {
    return list.isEmpty() ? null : List.copyOf(list);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static int orZero(Integer value) {
    return Objects.requireNonNullElse(value, 0);
  }
}
