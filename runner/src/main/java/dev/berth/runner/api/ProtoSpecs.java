package dev.berth.runner.api;

import dev.berth.proto.v1.ComponentSpec;
import dev.berth.proto.v1.HealthProbe;
import dev.berth.proto.v1.PortMapping;
import dev.berth.proto.v1.RouteSpec;
import dev.berth.proto.v1.ServiceSpec;
import dev.berth.proto.v1.VolumeMount;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.Wire;
import dev.berth.spec.validation.Violation;
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
  public static ServiceSpec toProto(dev.berth.spec.model.ServiceSpec spec) {
    ServiceSpec.Builder out =
        ServiceSpec.newBuilder()
            .setName(ServiceViews.orEmpty(spec.name()))
            .setNode(ServiceViews.orEmpty(spec.node()))
            .setDesiredState(spec.desiredState().wire())
            .setComment(ServiceViews.orEmpty(spec.comment()));
    spec.components().forEach(component -> out.addComponents(toProto(component)));
    return out.build();
  }

  static ComponentSpec toProto(dev.berth.spec.model.ComponentSpec c) {
    ComponentSpec.Builder out =
        ComponentSpec.newBuilder()
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
          VolumeMount.newBuilder()
              .setHostPath(ServiceViews.orEmpty(volume.hostPath()))
              .setContainerPath(ServiceViews.orEmpty(volume.containerPath()))
              .setReadOnly(volume.readOnly()));
    }
    for (var port : c.ports()) {
      out.addPorts(
          PortMapping.newBuilder()
              .setHostIp(ServiceViews.orEmpty(port.hostIp()))
              .setHostPort(port.hostPort())
              .setContainerPort(port.containerPort()));
    }
    for (var route : c.routes()) {
      out.addRoutes(
          RouteSpec.newBuilder()
              .setName(ServiceViews.orEmpty(route.name()))
              .setPort(route.port())
              .setMode(route.mode() == null ? "" : route.mode().wire())
              .setHostname(ServiceViews.orEmpty(route.hostname())));
    }
    if (c.health() != null) {
      var probe = c.health();
      out.setHealth(
          HealthProbe.newBuilder()
              .setType(probe.type() == null ? "" : probe.type().wire())
              .setPort(probe.port())
              .setRoute(ServiceViews.orEmpty(probe.route()))
              .setPath(ServiceViews.orEmpty(probe.path())));
    }
    return out.build();
  }

  /**
   * The wire's service as the model's, or null with the reasons added to {@code violations}, each
   * path prefixed with {@code path} (for instance {@code services[2]}).
   */
  public static dev.berth.spec.model.ServiceSpec fromProto(
      ServiceSpec spec, String path, List<Violation> violations) {
    int before = violations.size();
    DesiredState state =
        choice(
            spec.getDesiredState(),
            DesiredState.class,
            DesiredState::wire,
            DesiredState.RUNNING,
            path + ".desired_state",
            violations);
    List<dev.berth.spec.model.ComponentSpec> components = new ArrayList<>();
    for (int i = 0; i < spec.getComponentsCount(); i++) {
      components.add(fromProto(spec.getComponents(i), path + ".components[" + i + "]", violations));
    }
    if (violations.size() > before) {
      return null;
    }
    return new dev.berth.spec.model.ServiceSpec(
        spec.getName(),
        nullIfEmpty(spec.getNode()),
        state,
        nullIfEmpty(spec.getComment()),
        components);
  }

  private static dev.berth.spec.model.ComponentSpec fromProto(
      ComponentSpec c, String path, List<Violation> violations) {
    var builder =
        dev.berth.spec.model.ComponentSpec.builder(
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
    List<dev.berth.spec.model.VolumeMount> volumes = new ArrayList<>();
    for (VolumeMount volume : c.getVolumesList()) {
      volumes.add(
          new dev.berth.spec.model.VolumeMount(
              volume.getHostPath(), volume.getContainerPath(), volume.getReadOnly()));
    }
    builder.volumes(volumes);
    List<dev.berth.spec.model.PortMapping> ports = new ArrayList<>();
    for (PortMapping port : c.getPortsList()) {
      ports.add(
          new dev.berth.spec.model.PortMapping(
              nullIfEmpty(port.getHostIp()), port.getHostPort(), port.getContainerPort()));
    }
    builder.ports(ports);
    List<dev.berth.spec.model.RouteSpec> routes = new ArrayList<>();
    for (int i = 0; i < c.getRoutesCount(); i++) {
      RouteSpec route = c.getRoutes(i);
      routes.add(
          new dev.berth.spec.model.RouteSpec(
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
    if (c.hasHealth()) {
      HealthProbe probe = c.getHealth();
      builder.health(
          new dev.berth.spec.model.HealthProbe(
              choice(
                  probe.getType(),
                  ProbeType.class,
                  ProbeType::wire,
                  null,
                  path + ".health.type",
                  violations),
              probe.getPort(),
              nullIfEmpty(probe.getRoute()),
              nullIfEmpty(probe.getPath())));
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
