package dev.berth.runner.cli;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.AgentProto;
import java.time.Duration;

/** Builds the API's AgentProto.Service messages the way the agent reports them, for tests. */
final class Services {

  private Services() {}

  /** A declared service of components {@code components} at {@code generation}, no status yet. */
  static AgentProto.Service.Builder declared(String name, long generation, String... components) {
    AgentProto.ServiceSpec.Builder spec = AgentProto.ServiceSpec.newBuilder().setName(name);
    for (String component : components) {
      spec.addComponents(
          AgentProto.ComponentSpec.newBuilder()
              .setName(component)
              .setImage("example/" + component + ":1.0"));
    }
    return AgentProto.Service.newBuilder().setSpec(spec).setGeneration(generation);
  }

  static AgentProto.ComponentStatus.Builder status(
      String component, String state, long observedGeneration) {
    return AgentProto.ComponentStatus.newBuilder()
        .setComponent(component)
        .setRuntime("podman")
        .setState(state)
        .setObservedGeneration(observedGeneration);
  }

  static AgentProto.Condition condition(
      String component, String type, String status, String reason) {
    return AgentProto.Condition.newBuilder()
        .setComponent(component)
        .setType(type)
        .setStatus(status)
        .setReason(reason)
        .build();
  }

  static AgentProto.Condition ready(String component) {
    return condition(component, "Ready", "True", "Running");
  }

  /** The service's own condition, as the agent reports it once the service has converged. */
  static AgentProto.Condition converged() {
    return condition("", "Converged", "True", "Converged");
  }

  /** The service's own condition while the agent still works on {@code what}. */
  static AgentProto.Condition progressing(String what) {
    return condition("", "Converged", "False", "Progressing").toBuilder().setMessage(what).build();
  }

  /** The service's own condition once {@code what} failed. */
  static AgentProto.Condition failed(String what) {
    return condition("", "Converged", "False", "Failed").toBuilder().setMessage(what).build();
  }

  /** A service whose every component runs at {@code generation}, Ready: converged. */
  static AgentProto.Service running(String name, long generation, String... components) {
    AgentProto.Service.Builder service = declared(name, generation, components);
    for (String component : components) {
      service.addComponents(status(component, "running", generation));
      service.addConditions(ready(component));
    }
    return service.addConditions(converged()).build();
  }

  /** An event that happened {@code count} times, the last {@code over} after the first. */
  static AgentProto.Event series(AgentProto.Event event, int count, Duration over) {
    return event.toBuilder()
        .setCount(count)
        .setLastSeen(
            Timestamp.newBuilder().setSeconds(event.getAt().getSeconds() + over.toSeconds()))
        .build();
  }

  static AgentProto.Event event(
      String service, String component, String type, String reason, String message) {
    return AgentProto.Event.newBuilder()
        .setService(service)
        .setComponent(component)
        .setAt(Timestamp.newBuilder().setSeconds(1_714_564_801L))
        .setType(type)
        .setReason(reason)
        .setMessage(message)
        .setCount(1)
        .setLastSeen(Timestamp.newBuilder().setSeconds(1_714_564_801L))
        .build();
  }
}
