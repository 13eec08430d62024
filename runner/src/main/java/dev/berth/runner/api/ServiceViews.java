package dev.berth.runner.api;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.AgentProto;
import dev.berth.reconcilers.describe.ComponentDescription;
import dev.berth.reconcilers.describe.ServiceDescription;
import dev.berth.runtime.PortBinding;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.FieldChange;
import dev.berth.store.registry.ServiceEvent;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Translates the node's description of a service ({@code BerthNode.describe}) into the API's {@code
 * AgentProto.Service}. What is shown, and what counts as observed, is the node's to say; this only
 * spells it as the wire does.
 */
final class ServiceViews {

  private final UnaryOperator<String> runtimeOfKind;

  /**
   * @param runtimeOfKind the name of the runtime that runs a kind of component ({@code container}
   *     to {@code podman}): the node records the kind, the API shows the runtime
   */
  ServiceViews(UnaryOperator<String> runtimeOfKind) {
    this.runtimeOfKind = runtimeOfKind;
  }

  AgentProto.Service view(ServiceDescription description) {
    var declared = description.declared();
    AgentProto.Service.Builder out =
        AgentProto.Service.newBuilder()
            .setSpec(ProtoSpecs.toProto(declared.spec()))
            .setGeneration(declared.generation())
            .setSource(orEmpty(declared.source()))
            .setCreatedAt(timestamp(declared.createdAt()))
            .setUpdatedAt(timestamp(declared.updatedAt()));
    description.components().forEach(component -> out.addComponents(component(component)));
    description.conditions().forEach(condition -> out.addConditions(condition(condition)));
    description.events().forEach(event -> out.addEvents(event(event)));
    return out.build();
  }

  private AgentProto.ComponentStatus component(ComponentDescription component) {
    AgentProto.ComponentStatus.Builder out =
        AgentProto.ComponentStatus.newBuilder()
            .setComponent(component.component())
            .setRuntime(runtimeOfKind.apply(component.kind()))
            .setState(component.state())
            .setTerminal(component.terminal())
            .setWorkloadId(orEmpty(component.workloadId()))
            .setImage(orEmpty(component.image()))
            .setVersion(orEmpty(component.version()))
            .setObservedGeneration(component.observedGeneration())
            .setMessage(orEmpty(component.message()));
    if (component.exitCode() != null) {
      out.setExitCode(component.exitCode());
    }
    if (component.updatedAt() != null) {
      out.setUpdatedAt(timestamp(component.updatedAt()));
    }
    if (component.startedAt() != null) {
      out.setStartedAt(timestamp(component.startedAt()));
    }
    if (component.uptime() != null) {
      out.setUptimeSeconds(component.uptime().toSeconds());
    }
    for (PortBinding port : component.ports()) {
      out.addPorts(
          AgentProto.HostPort.newBuilder()
              .setRoute(orEmpty(port.name()))
              .setHostIp(orEmpty(port.hostIp()))
              .setHostPort(port.hostPort())
              .setContainerPort(port.containerPort()));
    }
    return out.build();
  }

  private static AgentProto.Condition condition(Condition condition) {
    AgentProto.Condition.Builder c =
        AgentProto.Condition.newBuilder()
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

  static AgentProto.Event event(ServiceEvent event) {
    return AgentProto.Event.newBuilder()
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

  /** A changed field; a side that is absent (a new field, a gone one) is empty. */
  static AgentProto.FieldChange fieldChange(FieldChange field) {
    return AgentProto.FieldChange.newBuilder()
        .setPath(field.path())
        .setBefore(orEmpty(field.before()))
        .setAfter(orEmpty(field.after()))
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /** Protobuf has no null strings: absent is empty. */
  static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
