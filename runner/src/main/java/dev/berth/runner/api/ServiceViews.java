package dev.berth.runner.api;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.ComponentStatus;
import dev.berth.proto.v1.Condition;
import dev.berth.proto.v1.Event;
import dev.berth.proto.v1.HostPort;
import dev.berth.proto.v1.Service;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.store.registry.PortAllocation;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A declared service with what is known about it, as the API shows it: one status per declared
 * component, its host ports, conditions and newest events.
 *
 * <p>Only what this agent observed is shown as current. A component the loops have not reported on
 * yet is {@code pending}; so is every component of a service this agent has not recorded a status
 * for since it started, whatever the registry holds: that was written by an earlier agent, and its
 * "running" (with a ticking uptime) may be a workload that no longer exists. Its conditions show as
 * Unknown, reason {@code NotObserved}, until the loops have looked.
 */
final class ServiceViews {

  /** The state of a component with no status from this agent yet. */
  static final String PENDING = ComponentPhase.PENDING.wire();

  /** The reason of a condition this agent has not observed yet. */
  static final String NOT_OBSERVED = ConditionTypes.NOT_OBSERVED;

  /** Why a service's stored status is not this agent's observation, or empty once it is. */
  @FunctionalInterface
  interface Observations {
    Optional<String> unobserved(String service);
  }

  private final Registry registry;
  private final Clock wall;
  private final Observations observations;
  private final Instant agentStarted;
  private final UnaryOperator<String> runtimeOfKind;

  /**
   * @param runtimeOfKind the name of the runtime that runs a kind of component ({@code container}
   *     to {@code podman}): the registry records the kind, the API shows the runtime
   */
  ServiceViews(
      Registry registry,
      Clock wall,
      Observations observations,
      Instant agentStarted,
      UnaryOperator<String> runtimeOfKind) {
    this.registry = registry;
    this.wall = wall;
    this.observations = observations;
    this.agentStarted = agentStarted;
    this.runtimeOfKind = runtimeOfKind;
  }

  Service view(StoredService stored, int events) {
    return view(stored, events, allocationsByService().getOrDefault(stored.name(), Map.of()));
  }

  /** Every service's view; the node's port allocations are read once for all of them. */
  List<Service> viewAll(List<StoredService> services, int events) {
    Map<String, Map<String, Integer>> allocations = allocationsByService();
    return services.stream()
        .map(stored -> view(stored, events, allocations.getOrDefault(stored.name(), Map.of())))
        .toList();
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
    return byService;
  }

  private Service view(StoredService stored, int events, Map<String, Integer> allocated) {
    String name = stored.name();
    Instant now = wall.instant();
    Optional<String> unobserved = observations.unobserved(name);
    Map<String, dev.berth.store.registry.ComponentStatus> statuses = new HashMap<>();
    registry.status().of(name).forEach(status -> statuses.put(status.component(), status));
    Service.Builder out =
        Service.newBuilder()
            .setSpec(ProtoSpecs.toProto(stored.spec()))
            .setGeneration(stored.generation())
            .setSource(orEmpty(stored.source()))
            .setCreatedAt(timestamp(stored.createdAt()))
            .setUpdatedAt(timestamp(stored.updatedAt()));
    for (ComponentSpec component : stored.spec().components()) {
      var status = statuses.get(component.name());
      out.addComponents(
          unobserved.isPresent()
              ? notObserved(component, status, allocated, unobserved.get())
              : component(component, status, allocated, now));
    }
    for (var condition : registry.status().conditions(name)) {
      out.addConditions(
          unobserved.isPresent() ? notObserved(condition, unobserved.get()) : condition(condition));
    }
    if (events > 0) {
      List<ServiceEvent> history = registry.events().of(name);
      history
          .subList(Math.max(0, history.size() - events), history.size())
          .forEach(event -> out.addEvents(event(event)));
    }
    return out.build();
  }

  private static Condition condition(dev.berth.store.registry.Condition condition) {
    Condition.Builder c =
        Condition.newBuilder()
            .setComponent(orEmpty(condition.component()))
            .setType(condition.type())
            .setStatus(condition.status().wire())
            .setReason(orEmpty(condition.reason()))
            .setMessage(orEmpty(condition.message()));
    if (condition.lastTransition() != null) {
      c.setLastTransition(timestamp(condition.lastTransition()));
    }
    return c.build();
  }

  /** A condition an earlier agent wrote: Unknown now, saying what it said. */
  private Condition notObserved(dev.berth.store.registry.Condition condition, String why) {
    return Condition.newBuilder()
        .setComponent(orEmpty(condition.component()))
        .setType(condition.type())
        .setStatus(dev.berth.store.registry.Condition.Status.UNKNOWN.wire())
        .setReason(NOT_OBSERVED)
        .setMessage(
            "not observed by this agent yet ("
                + why
                + "); an earlier agent said "
                + condition.status().wire()
                + (condition.reason() == null ? "" : ": " + condition.reason()))
        .setLastTransition(timestamp(agentStarted))
        .build();
  }

  /**
   * A component of a service this agent has not observed: pending, with why, and what an earlier
   * agent last said of it, but none of its workload, image, exit code or uptime as if current.
   */
  private ComponentStatus notObserved(
      ComponentSpec spec,
      dev.berth.store.registry.ComponentStatus status,
      Map<String, Integer> allocated,
      String why) {
    String message = "not observed by this agent yet (" + why + ")";
    if (status != null && status.state() != null) {
      message +=
          "; an earlier agent last saw it "
              + status.state()
              + (status.updatedAt() == null ? "" : " at " + status.updatedAt());
    }
    return pending(spec, allocated).setMessage(message).build();
  }

  private ComponentStatus component(
      ComponentSpec spec,
      dev.berth.store.registry.ComponentStatus status,
      Map<String, Integer> allocated,
      Instant now) {
    ComponentStatus.Builder out = pending(spec, allocated);
    if (status == null) {
      return out.build();
    }
    out.setRuntime(runtimeOfKind.apply(orEmpty(status.runtime())))
        .setState(orEmpty(status.state()))
        .setTerminal(
            ComponentState.ofWire(status.state()).map(ComponentState::terminal).orElse(false))
        .setWorkloadId(orEmpty(status.workloadId()))
        .setImage(orEmpty(status.image()))
        .setVersion(version(status.image()))
        .setObservedGeneration(status.observedGeneration())
        .setMessage(orEmpty(status.message()));
    if (status.exitCode() != null) {
      out.setExitCode(status.exitCode());
    }
    if (status.updatedAt() != null) {
      out.setUpdatedAt(timestamp(status.updatedAt()));
    }
    if (status.startedAt() != null && ComponentPhase.RUNNING.wire().equals(status.state())) {
      out.setStartedAt(timestamp(status.startedAt()));
      out.setUptimeSeconds(Math.max(0, Duration.between(status.startedAt(), now).toSeconds()));
    }
    return out.build();
  }

  /** What is known of a component before anything is observed: its declaration and ports. */
  private ComponentStatus.Builder pending(ComponentSpec spec, Map<String, Integer> allocated) {
    ComponentStatus.Builder out =
        ComponentStatus.newBuilder()
            .setComponent(spec.name())
            .setRuntime(runtimeOfKind.apply(spec.runtime() == null ? "" : spec.runtime().wire()))
            .setState(PENDING);
    for (RouteSpec route : spec.routes()) {
      Integer hostPort = allocated.get(spec.name() + "/" + route.name());
      if (hostPort != null) {
        out.addPorts(
            HostPort.newBuilder()
                .setRoute(route.name())
                .setHostIp(WorkloadSpecs.ROUTE_HOST_IP)
                .setHostPort(hostPort)
                // A route's backend listens on its host port inside the workload too
                // ($PORT_<NAME>).
                .setContainerPort(hostPort));
      }
    }
    for (PortMapping port : spec.ports()) {
      out.addPorts(
          HostPort.newBuilder()
              .setHostIp(orEmpty(port.hostIp()))
              .setHostPort(port.hostPort())
              .setContainerPort(port.containerPort()));
    }
    return out;
  }

  /**
   * The tag (or the digest's first 12 hex digits) of an image reference: {@code 1.4} of {@code
   * registry:5000/shop/web:1.4}. A port in the registry's host is not a tag: only a colon after the
   * last slash counts.
   */
  static String version(String image) {
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

  static Event event(ServiceEvent event) {
    return Event.newBuilder()
        .setId(event.id())
        .setService(event.service())
        .setComponent(orEmpty(event.component()))
        .setAt(timestamp(event.at()))
        .setType(event.type().wire())
        .setReason(orEmpty(event.reason()))
        .setMessage(orEmpty(event.message()))
        .setCount(event.count())
        .setLastSeen(timestamp(event.lastSeen()))
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** Protobuf has no null strings: absent is empty. */
  static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
