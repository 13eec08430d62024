package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.PortVariables;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.VolumeMount;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRouteBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The objects of the mapping table, one builder per kind. Each is built whole from the spec and the
 * operator's settings, so that the same inputs build the same object (and the same {@link
 * ObjectHash}); none is stamped here.
 */
final class DesiredObjects {

  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  static final String CERT_MANAGER_GROUP = "cert-manager.io";

  /** What a Service's port name may be (IANA_SVC_NAME): at most 15, with a letter, no "--". */
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

  private DesiredObjects() {}

  /**
   * The Deployment of a container component: one replica (0 when stopped), replaced whole ({@code
   * Recreate}: a node never runs two of a component either), its pods labelled with the component's
   * spec hash.
   */
  static Deployment deployment(
      Owner owner,
      String node,
      ComponentSpec c,
      Map<String, Integer> routePorts,
      String specHash,
      int replicas) {
    String name = ObjectNames.component(owner.name(), c.name());
    Map<String, String> selector = selector(owner, c);
    Map<String, String> podLabels = new LinkedHashMap<>(c.labels());
    podLabels.putAll(selector);
    podLabels.put(ClusterLabels.SPEC_HASH, specHash);
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(ClusterLabels.SPEC_HASH, specHash);

    List<EnvVar> env = new ArrayList<>();
    c.env().forEach((key, value) -> env.add(new EnvVar(key, value, null)));
    PortVariables.of(routePorts).forEach((key, value) -> env.add(new EnvVar(key, value, null)));

    List<ContainerPort> ports = new ArrayList<>();
    routePorts.forEach(
        (route, port) ->
            ports.add(
                new ContainerPortBuilder()
                    .withName(portName(route, port))
                    .withContainerPort(port)
                    .withProtocol("TCP")
                    .build()));
    for (PortMapping port : c.ports()) {
      // Refused unless the service is pinned to a node (ClusterCapabilities).
      ports.add(
          new ContainerPortBuilder()
              .withContainerPort(port.containerPort())
              .withHostPort(port.hostPort())
              .withHostIP(port.hostIp())
              .withProtocol("TCP")
              .build());
    }

    List<Volume> volumes = new ArrayList<>();
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(c.name())
            .withImage(c.image())
            .withArgs(c.cmd().isEmpty() ? null : c.cmd())
            .withEnv(env.isEmpty() ? null : env)
            .withPorts(ports.isEmpty() ? null : ports);
    for (int i = 0; i < c.volumes().size(); i++) {
      VolumeMount mount = c.volumes().get(i);
      String volume = "host-" + i;
      volumes.add(
          new VolumeBuilder()
              .withName(volume)
              .withNewHostPath()
              .withPath(mount.hostPath())
              .endHostPath()
              .build());
      container.addToVolumeMounts(
          new VolumeMountBuilder()
              .withName(volume)
              .withMountPath(mount.containerPath())
              .withReadOnly(mount.readOnly() ? Boolean.TRUE : null)
              .build());
    }
    if (c.user() != null) {
      String[] ids = c.user().split(":");
      container
          .withNewSecurityContext()
          .withRunAsUser(Long.parseLong(ids[0]))
          .withRunAsGroup(ids.length > 1 ? Long.parseLong(ids[1]) : null)
          .endSecurityContext();
    }
    if (c.memoryMb() > 0 || c.vcpus() > 0) {
      Map<String, Quantity> limits = new LinkedHashMap<>();
      if (c.memoryMb() > 0) {
        limits.put("memory", new Quantity(c.memoryMb() + "Mi"));
      }
      if (c.vcpus() > 0) {
        limits.put("cpu", new Quantity(Integer.toString(c.vcpus())));
      }
      container.withNewResources().withLimits(limits).endResources();
    }
    if (c.health() != null) {
      container.withReadinessProbe(probe(c.health(), routePorts));
    }

    return new DeploymentBuilder()
        .withMetadata(meta(owner, name, labels))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(node == null ? null : Map.of(ClusterCapabilities.HOSTNAME_LABEL, node))
        .withContainers(container.build())
        .withVolumes(volumes.isEmpty() ? null : volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A readiness probe of the health probe's kind, at its port or its route's container port. */
  static Probe probe(HealthProbe health, Map<String, Integer> routePorts) {
    int port = health.route() != null ? routePorts.get(health.route()) : health.port();
    ProbeBuilder probe = new ProbeBuilder();
    switch (health.type()) {
      case TCP -> probe.withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket();
      case HTTP ->
          probe
              .withNewHttpGet()
              .withPath(health.path())
              .withPort(new IntOrString(port))
              .endHttpGet();
      case GRPC -> probe.withNewGrpc().withPort(port).withService(health.path()).endGrpc();
    }
    return probe.build();
  }

  /** The ClusterIP Service of a component with routes: one port per route. */
  static Service service(Owner owner, ComponentSpec c, Map<String, Integer> routePorts) {
    List<ServicePort> ports = new ArrayList<>();
    routePorts.forEach(
        (route, port) ->
            ports.add(
                new ServicePortBuilder()
                    .withName(portName(route, port))
                    .withPort(port)
                    .withTargetPort(new IntOrString(port))
                    .withProtocol("TCP")
                    .build()));
    return new ServiceBuilder()
        .withMetadata(
            meta(owner, ObjectNames.component(owner.name(), c.name()), selector(owner, c)))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector(owner, c))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /**
   * The Ingress of an l7 route: TLS with the route's certificate Secret, every path of its hostname
   * to the component's Service.
   */
  static Ingress ingress(
      Owner owner,
      ComponentSpec c,
      RouteSpec route,
      int containerPort,
      String secretName,
      OperatorConfig config) {
    return new IngressBuilder()
        .withMetadata(
            meta(
                owner,
                ObjectNames.route(owner.name(), c.name(), route.name()),
                routeLabels(owner, c, route)))
        .withNewSpec()
        .withIngressClassName(config.ingressClassName())
        .addNewTl()
        .withHosts(route.hostname())
        .withSecretName(secretName)
        .endTl()
        .addNewRule()
        .withHost(route.hostname())
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(ObjectNames.component(owner.name(), c.name()))
        .withNewPort()
        .withNumber(containerPort)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }

  /**
   * The TLSRoute of an l4 route: attached to the operator's Gateway at the route's listener port,
   * for its hostname (every name when it has none: it takes the port whole), to the component's
   * Service.
   */
  static TLSRoute tlsRoute(
      Owner owner, ComponentSpec c, RouteSpec route, int containerPort, OperatorConfig config) {
    OperatorConfig.GatewayRef gateway = config.gateway();
    return new TLSRouteBuilder()
        .withMetadata(
            meta(
                owner,
                ObjectNames.route(owner.name(), c.name(), route.name()),
                routeLabels(owner, c, route)))
        .withNewSpec()
        .addNewParentRef()
        .withGroup(GATEWAY_GROUP)
        .withKind("Gateway")
        .withNamespace(gateway.namespace())
        .withName(gateway.name())
        .withSectionName(gateway.sectionName())
        .withPort(route.port())
        .endParentRef()
        .withHostnames(route.hostname() == null ? null : List.of(route.hostname()))
        .addNewRule()
        .addNewBackendRef()
        .withName(ObjectNames.component(owner.name(), c.name()))
        .withPort(containerPort)
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  /** The cert-manager Certificate of an l7 route, issued into the Secret its Ingress names. */
  static Certificate certificate(
      Owner owner, ComponentSpec c, RouteSpec route, OperatorConfig.IssuerRef issuer) {
    String name = ObjectNames.route(owner.name(), c.name(), route.name());
    return new CertificateBuilder()
        .withMetadata(meta(owner, name, routeLabels(owner, c, route)))
        .withNewSpec()
        .withSecretName(name)
        .withDnsNames(route.hostname())
        .withNewIssuerRef()
        .withGroup(CERT_MANAGER_GROUP)
        .withKind(issuer.kind())
        .withName(issuer.name())
        .endIssuerRef()
        .endSpec()
        .build();
  }

  /** The Secret that holds a route's certificate and key, whoever writes it. */
  static String secretName(Owner owner, ComponentSpec c, RouteSpec route) {
    return ObjectNames.route(owner.name(), c.name(), route.name());
  }

  private static ObjectMeta meta(Owner owner, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(owner.namespace())
        .withLabels(new LinkedHashMap<>(labels))
        .withOwnerReferences(owner.reference())
        .build();
  }

  /** What identifies a component's pods: its service and component labels. */
  private static Map<String, String> selector(Owner owner, ComponentSpec c) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ClusterLabels.SERVICE, owner.name());
    labels.put(ClusterLabels.COMPONENT, c.name());
    return labels;
  }

  private static Map<String, String> routeLabels(Owner owner, ComponentSpec c, RouteSpec route) {
    Map<String, String> labels = selector(owner, c);
    labels.put(ClusterLabels.ROUTE, route.name());
    return labels;
  }

  /** The route's name where it is a valid port name, else {@code port-<number>}. */
  private static String portName(String route, int port) {
    boolean valid =
        PORT_NAME.matcher(route).matches()
            && !route.contains("--")
            && route.chars().anyMatch(Character::isLetter);
    return valid ? route : "port-" + port;
  }
}
