package dev.berth.reconcilers.describe;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.PortBinding;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.PortAllocation;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Describes declared services from the registry, as this node knows them: one description per
 * declared component, its host ports, conditions and newest events.
 *
 * <p>Only what this node observed is shown as current. A component its loops have not reported on
 * yet is {@code pending}; so is every component of a service this node has not recorded a status
 * for since it started, whatever the registry holds: that was written by an earlier agent, and its
 * "running" (with a ticking uptime) may be a workload that no longer exists. Its conditions show as
 * Unknown, reason {@value ConditionTypes#NOT_OBSERVED}, until the loops have looked.
 */
public final class ServiceDescriptions {

  /** The state of a component with no status from this node yet. */
  public static final String PENDING = ComponentPhase.PENDING.wire();

  /** The phase of a service whose convergence this node has not recorded yet. */
  public static final String SERVICE_PENDING = "Pending";

  /** Why a service's stored status is not this node's observation, or empty once it is. */
  @FunctionalInterface
  public interface Observations {
    /**
     * Why the stored status of {@code service} is not this node's observation yet, or empty once it
     * is.
     */
    Optional<String> unobserved(String service);
  }

  private final Registry registry;
  private final Clock wall;
  private final Observations observations;
  private final Instant started;
  private final Function<String, Set<RouteBinding>> published;

  /**
   * @param started when this node started observing: a condition it has not observed yet is Unknown
   *     since then
   */
  public ServiceDescriptions(
      Registry registry, Clock wall, Observations observations, Instant started) {
    this(registry, wall, observations, started, service -> Set.of());
  }

  /**
   * @param published the routes asked of the proxy for a service: a route shows the host port they
   *     send it to (the spare one, after a replace beside), else its first
   */
  public ServiceDescriptions(
      Registry registry,
      Clock wall,
      Observations observations,
      Instant started,
      Function<String, Set<RouteBinding>> published) {
    this.registry = registry;
    this.wall = wall;
    this.observations = observations;
    this.started = started;
    this.published = published;
  }

  /** The service as this node knows it, with its newest {@code events}. */
  public ServiceDescription describe(StoredService declared, int events) {
    return describe(
        declared, events, allocationsByService().getOrDefault(declared.name(), Map.of()));
  }

  /** Every service's description; the node's port allocations are read once for all of them. */
  public List<ServiceDescription> describeAll(List<StoredService> services, int events) {
    Map<String, Map<String, Integer>> allocations = allocationsByService();
    return services.stream()
        .map(
            declared ->
                describe(declared, events, allocations.getOrDefault(declared.name(), Map.of())))
        .toList();
  }

  /**
   * How many declared components are in each state, as {@link #describe} would show them, without
   * describing every service: from the status rows, with {@code pending} for what this node has not
   * observed.
   */
  public Map<String, Integer> componentsByState(List<StoredService> services) {
    Map<String, Integer> byState = new TreeMap<>();
    for (StoredService declared : services) {
      int declaredComponents = declared.spec().components().size();
      if (observations.unobserved(declared.name()).isPresent()) {
        // What the registry says was an earlier agent's observation, not this one's.
        byState.merge(PENDING, declaredComponents, Integer::sum);
        continue;
      }
      Set<String> reported = new HashSet<>();
      for (ComponentStatus status : registry.status().of(declared.name())) {
        reported.add(status.component());
        byState.merge(status.state(), 1, Integer::sum);
      }
      for (ComponentSpec component : declared.spec().components()) {
        if (!reported.contains(component.name())) {
          byState.merge(PENDING, 1, Integer::sum);
        }
      }
    }
    return byState;
  }

  /**
   * How many declared services are in each phase: the reason of their own {@value
   * ServiceConvergence#TYPE} condition ({@code Converged}, {@code Progressing}, {@code Failed}), or
   * {@value #SERVICE_PENDING} for a service this node has not recorded one for since it started.
   */
  public Map<String, Integer> servicesByPhase(List<StoredService> services) {
    Map<String, Integer> byPhase = new TreeMap<>();
    for (StoredService declared : services) {
      String phase = SERVICE_PENDING;
      if (observations.unobserved(declared.name()).isEmpty()) {
        for (Condition condition : registry.status().conditions(declared.name())) {
          if (condition.component().isEmpty()
              && condition.type().equals(ServiceConvergence.TYPE)
              && condition.reason() != null) {
            phase = condition.reason();
          }
        }
      }
      byPhase.merge(phase, 1, Integer::sum);
    }
    return byPhase;
  }

  /** Host ports by service, then by {@code component/route}. */
  private Map<String, Map<String, Integer>> allocationsByService() {
    Map<String, Map<String, Integer>> byService = new HashMap<>();
    for (PortAllocation allocation : registry.ports().list()) {
      byService
          .computeIfAbsent(allocation.key().service(), service -> new HashMap<>())
          .put(
              allocation.key().component() + "/" + allocation.key().route(), allocation.hostPort());
    }
    byService.forEach(
        (service, ports) -> {
          for (RouteBinding route : published.apply(service)) {
            ports.replace(route.component() + "/" + route.route(), route.backendPort());
          }
        });
    return byService;
  }

  private ServiceDescription describe(
      StoredService declared, int events, Map<String, Integer> allocated) {
    String name = declared.name();
    Instant now = wall.instant();
    Optional<String> unobserved = observations.unobserved(name);
    Map<String, ComponentStatus> statuses = new HashMap<>();
    registry.status().of(name).forEach(status -> statuses.put(status.component(), status));
    List<ComponentDescription> components = new ArrayList<>();
    for (ComponentSpec component : declared.spec().components()) {
      ComponentStatus status = statuses.get(component.name());
      components.add(
          unobserved.isPresent()
              ? notObserved(component, status, allocated, unobserved.get())
              : component(component, status, allocated, now));
    }
    List<Condition> conditions = new ArrayList<>();
    for (Condition condition : registry.status().conditions(name)) {
      conditions.add(unobserved.isPresent() ? notObserved(condition, unobserved.get()) : condition);
    }
    List<ServiceEvent> newest = List.of();
    if (events > 0) {
      List<ServiceEvent> history = registry.events().of(name);
      newest = history.subList(Math.max(0, history.size() - events), history.size());
    }
    return new ServiceDescription(declared, components, conditions, newest);
  }

  /** A condition an earlier agent wrote: Unknown now, saying what it said. */
  private Condition notObserved(Condition condition, String why) {
    return new Condition(
        condition.component(),
        condition.type(),
        Condition.Status.UNKNOWN,
        ConditionTypes.NOT_OBSERVED,
        "not observed by this agent yet ("
            + why
            + "); an earlier agent said "
            + condition.status().wire()
            + (condition.reason() == null ? "" : ": " + condition.reason()),
        started);
  }

  /**
   * A component of a service this node has not observed: pending, with why, and what an earlier
   * agent last said of it, but none of its workload, image, exit code or uptime as if current.
   */
  private static ComponentDescription notObserved(
      ComponentSpec spec, ComponentStatus status, Map<String, Integer> allocated, String why) {
    String message = "not observed by this agent yet (" + why + ")";
    if (status != null && status.state() != null) {
      message +=
          "; an earlier agent last saw it "
              + status.state()
              + (status.updatedAt() == null ? "" : " at " + status.updatedAt());
    }
    return ComponentDescription.pending(spec.name(), kind(spec), ports(spec, allocated), message);
  }

  private static ComponentDescription component(
      ComponentSpec spec, ComponentStatus status, Map<String, Integer> allocated, Instant now) {
    List<PortBinding> ports = ports(spec, allocated);
    if (status == null) {
      return ComponentDescription.pending(spec.name(), kind(spec), ports, null);
    }
    boolean running =
        status.startedAt() != null && ComponentPhase.RUNNING.wire().equals(status.state());
    return new ComponentDescription(
        spec.name(),
        status.runtime() == null ? "" : status.runtime(),
        status.state() == null ? "" : status.state(),
        ComponentState.ofWire(status.state()).map(ComponentState::terminal).orElse(false),
        status.workloadId(),
        status.image(),
        version(status.image()),
        status.observedGeneration(),
        status.exitCode(),
        running ? status.startedAt() : null,
        running ? max0(Duration.between(status.startedAt(), now)) : null,
        status.message(),
        status.updatedAt(),
        ports);
  }

  private static Duration max0(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  private static String kind(ComponentSpec spec) {
    return spec.runtime() == null ? "" : spec.runtime().wire();
  }

  /** Its routes' allocated host ports, then its explicit port mappings. */
  private static List<PortBinding> ports(ComponentSpec spec, Map<String, Integer> allocated) {
    List<PortBinding> ports = new ArrayList<>();
    for (RouteSpec route : spec.routes()) {
      Integer hostPort = allocated.get(spec.name() + "/" + route.name());
      if (hostPort != null) {
        // A route's backend listens on its host port inside the workload too ($PORT_<NAME>).
        ports.add(new PortBinding(route.name(), WorkloadSpecs.ROUTE_HOST_IP, hostPort, hostPort));
      }
    }
    for (PortMapping port : spec.ports()) {
      ports.add(new PortBinding(null, port.hostIp(), port.hostPort(), port.containerPort()));
    }
    return ports;
  }

  /**
   * The tag (or the digest's first 12 hex digits) of an image reference: {@code 1.4} of {@code
   * registry:5000/shop/web:1.4}. A port in the registry's host is not a tag: only a colon after the
   * last slash counts.
   */
  public static String version(String image) {
    if (image == null || image.isEmpty()) {
      return "";
    }
    int at = image.indexOf('@');
    if (at >= 0) {
      String digest = image.substring(at + 1);
      int colon = digest.indexOf(':');
      String hex = colon >= 0 ? digest.substring(colon + 1) : digest;
      return hex.substring(0, Math.min(12, hex.length()));
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "";
  }
}
