package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Translates service declarations between the wire ({@code berth.v1}) and the store's model. The
 * wire spells enums as the TOML files do ({@code "process"}, {@code "l7"}), so a bad value gets the
 * same kind of error as in a file, with the field path; an empty string takes the files' default.
 * Everything else the model's validator checks, after this translation.
 */
public final class ProtoSpecs {

  private ProtoSpecs() {}

  /** The model's service on the wire. */
  public static AgentProto.ServiceSpec toProto(ServiceSpec spec) {
    AgentProto.ServiceSpec.Builder out =
        AgentProto.ServiceSpec.newBuilder()
            .setName(ServiceViews.orEmpty(spec.name()))
            .setNode(ServiceViews.orEmpty(spec.node()))
            .setDesiredState(spec.desiredState().wire())
            .setComment(ServiceViews.orEmpty(spec.comment()))
            .putAllLabels(spec.labels());
    spec.components().forEach(component -> out.addComponents(toProto(component)));
    return out.build();
  }

  static AgentProto.ComponentSpec toProto(ComponentSpec c) {
    AgentProto.ComponentSpec.Builder out =
        AgentProto.ComponentSpec.newBuilder()
            .setName(ServiceViews.orEmpty(c.name()))
            .setRuntime(c.runtime() == null ? "" : c.runtime().wire())
            .setImage(ServiceViews.orEmpty(c.image()))
            .setExecutable(ServiceViews.orEmpty(c.executable()))
            .addAllCmd(c.cmd())
            .putAllEnv(c.env())
            .setNetwork(ServiceViews.orEmpty(c.network()))
            .setUser(ServiceViews.orEmpty(c.user()))
            .setRestart(c.restart().wire())
            .setMemoryMb(c.memoryMb())
            .setVcpus(c.vcpus())
            .putAllLabels(c.labels());
    for (var volume : c.volumes()) {
      out.addVolumes(
          AgentProto.VolumeMount.newBuilder()
              .setHostPath(ServiceViews.orEmpty(volume.hostPath()))
              .setContainerPath(ServiceViews.orEmpty(volume.containerPath()))
              .setReadOnly(volume.readOnly()));
    }
    for (var port : c.ports()) {
      out.addPorts(
          AgentProto.PortMapping.newBuilder()
              .setHostIp(ServiceViews.orEmpty(port.hostIp()))
              .setHostPort(port.hostPort())
              .setContainerPort(port.containerPort()));
    }
    for (var route : c.routes()) {
      out.addRoutes(
          AgentProto.RouteSpec.newBuilder()
              .setName(ServiceViews.orEmpty(route.name()))
              .setPort(route.port())
              .setMode(route.mode() == null ? "" : route.mode().wire())
              .setHostname(ServiceViews.orEmpty(route.hostname())));
    }
    for (var secret : c.secrets()) {
      out.addSecrets(
          AgentProto.SecretRef.newBuilder()
              .setName(ServiceViews.orEmpty(secret.name()))
              .setFile(ServiceViews.orEmpty(secret.file())));
    }
    if (c.health() != null) {
      var probe = c.health();
      out.setHealth(
          AgentProto.HealthProbe.newBuilder()
              .setType(probe.type() == null ? "" : probe.type().wire())
              .setPort(probe.port())
              .setRoute(ServiceViews.orEmpty(probe.route()))
              .setPath(ServiceViews.orEmpty(probe.path()))
              .setLiveness(probe.liveness())
              .setPeriodMs(probe.period().toMillis())
              .setTimeoutMs(probe.timeout().toMillis())
              .setFailureThreshold(probe.failureThreshold())
              .setInitialDelayMs(probe.initialDelay().toMillis()));
    }
    if (!c.update().equals(UpdatePolicy.DEFAULTS)) {
      out.setUpdate(
          AgentProto.UpdatePolicy.newBuilder()
              .setStrategy(c.update().strategy() == null ? "" : c.update().strategy().wire())
              .setDeadlineMs(c.update().deadline().toMillis())
              .setDrainMs(c.update().drain().toMillis())
              .setAutoRevert(c.update().autoRevert()));
    }
    return out.build();
  }

  /**
   * The wire's service as the model's, or null with the reasons added to {@code violations}, each
   * path prefixed with {@code path} (for instance {@code services[2]}).
   */
  public static ServiceSpec fromProto(
      AgentProto.ServiceSpec spec, String path, List<Violation> violations) {
    int before = violations.size();
    DesiredState state =
        choice(
            spec.getDesiredState(),
            DesiredState.class,
            DesiredState::wire,
            DesiredState.RUNNING,
            path + ".desired_state",
            violations);
    List<ComponentSpec> components = new ArrayList<>();
    for (int i = 0; i < spec.getComponentsCount(); i++) {
      components.add(fromProto(spec.getComponents(i), path + ".components[" + i + "]", violations));
    }
    if (violations.size() > before) {
      return null;
    }
    return new ServiceSpec(
        spec.getName(),
        nullIfEmpty(spec.getNode()),
        state,
        nullIfEmpty(spec.getComment()),
        components,
        spec.getLabelsMap());
  }

  private static ComponentSpec fromProto(
      AgentProto.ComponentSpec c, String path, List<Violation> violations) {
    var builder =
        ComponentSpec.builder(
                c.getName(),
                choice(
                    c.getRuntime(),
                    RuntimeKind.class,
                    RuntimeKind::wire,
                    RuntimeKind.CONTAINER,
                    path + ".runtime",
                    violations))
            .image(nullIfEmpty(c.getImage()))
            .executable(nullIfEmpty(c.getExecutable()))
            .cmd(c.getCmdList())
            .env(c.getEnvMap())
            .network(nullIfEmpty(c.getNetwork()))
            .user(nullIfEmpty(c.getUser()))
            .restart(
                choice(
                    c.getRestart(),
                    RestartPolicy.class,
                    RestartPolicy::wire,
                    RestartPolicy.NO,
                    path + ".restart",
                    violations))
            .memoryMb(c.getMemoryMb())
            .vcpus(c.getVcpus())
            .labels(c.getLabelsMap());
    List<VolumeMount> volumes = new ArrayList<>();
    for (AgentProto.VolumeMount volume : c.getVolumesList()) {
      volumes.add(
          new VolumeMount(volume.getHostPath(), volume.getContainerPath(), volume.getReadOnly()));
    }
    builder.volumes(volumes);
    List<PortMapping> ports = new ArrayList<>();
    for (AgentProto.PortMapping port : c.getPortsList()) {
      ports.add(
          new PortMapping(
              nullIfEmpty(port.getHostIp()), port.getHostPort(), port.getContainerPort()));
    }
    builder.ports(ports);
    List<RouteSpec> routes = new ArrayList<>();
    for (int i = 0; i < c.getRoutesCount(); i++) {
      AgentProto.RouteSpec route = c.getRoutes(i);
      routes.add(
          new RouteSpec(
              route.getName(),
              route.getPort(),
              choice(
                  route.getMode(),
                  RouteMode.class,
                  RouteMode::wire,
                  null,
                  path + ".routes[" + i + "].mode",
                  violations),
              nullIfEmpty(route.getHostname())));
    }
    builder.routes(routes);
    for (AgentProto.SecretRef secret : c.getSecretsList()) {
      builder.secret(secret.getName(), secret.getFile());
    }
    if (c.hasHealth()) {
      AgentProto.HealthProbe probe = c.getHealth();
      builder.health(
          new HealthProbe(
              choice(
                  probe.getType(),
                  ProbeType.class,
                  ProbeType::wire,
                  null,
                  path + ".health.type",
                  violations),
              probe.getPort(),
              nullIfEmpty(probe.getRoute()),
              nullIfEmpty(probe.getPath()),
              probe.getLiveness(),
              probe.getPeriodMs() == 0 ? null : Duration.ofMillis(probe.getPeriodMs()),
              probe.getTimeoutMs() == 0 ? null : Duration.ofMillis(probe.getTimeoutMs()),
              probe.getFailureThreshold() == 0
                  ? HealthProbe.DEFAULT_FAILURE_THRESHOLD
                  : probe.getFailureThreshold(),
              Duration.ofMillis(probe.getInitialDelayMs())));
    }
    if (c.hasUpdate()) {
      AgentProto.UpdatePolicy update = c.getUpdate();
      builder.update(
          new UpdatePolicy(
              choice(
                  update.getStrategy(),
                  UpdateStrategy.class,
                  UpdateStrategy::wire,
                  null,
                  path + ".update.strategy",
                  violations),
              update.getDeadlineMs() == 0 ? null : Duration.ofMillis(update.getDeadlineMs()),
              update.hasDrainMs() ? Duration.ofMillis(update.getDrainMs()) : null,
              update.getAutoRevert()));
    }
    return builder.build();
  }

  private static <E extends Enum<E>> E choice(
      String text,
      Class<E> type,
      Function<E, String> wire,
      E fallback,
      String path,
      List<Violation> violations) {
    if (text.isEmpty()) {
      return fallback;
    }
    var parsed = Wire.parse(type, wire, text);
    if (parsed.isEmpty()) {
      violations.add(
          new Violation(path, "must be " + Wire.choices(type, wire) + ", was \"" + text + "\""));
      return fallback;
    }
    return parsed.get();
  }

  private static String nullIfEmpty(String value) {
    return value.isEmpty() ? null : value;
  }
}
