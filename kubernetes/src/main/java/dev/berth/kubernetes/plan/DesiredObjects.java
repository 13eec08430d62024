package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.PortVariables;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.VolumeMount;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRouteBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
   * The Deployment of a container component: one replica (0 when stopped), replaced as its {@code
   * update} says ({@link Rollout}), its pods labelled with the component's spec hash.
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
    routePorts.forEach((route, port) -> ports.add(containerPort(portName(route, port), port)));
    for (PortMapping mapping : c.ports()) {
      // Refused unless the service is pinned to a node (ClusterCapabilities).
      ContainerPort port = containerPort(null, mapping.containerPort());
      port.setHostPort(mapping.hostPort());
      port.setHostIP(mapping.hostIp());
      ports.add(port);
    }

    // Plain constructors and setters rather than fabric8's builders, which copy every nested
    // object at each step: the Deployment is most of what a plan builds.
    Container container = new Container();
    container.setName(c.name());
    container.setImage(c.image());
    container.setArgs(c.cmd().isEmpty() ? null : new ArrayList<>(c.cmd()));
    container.setEnv(env.isEmpty() ? null : env);
    container.setPorts(ports.isEmpty() ? null : ports);
    List<Volume> volumes = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
    for (int i = 0; i < c.volumes().size(); i++) {
      VolumeMount mount = c.volumes().get(i);
      String volume = "host-" + i;
      Volume hostPath = new Volume();
      hostPath.setName(volume);
      hostPath.setHostPath(new HostPathVolumeSource(mount.hostPath(), null));
      volumes.add(hostPath);
      io.fabric8.kubernetes.api.model.VolumeMount volumeMount =
          new io.fabric8.kubernetes.api.model.VolumeMount();
      volumeMount.setName(volume);
      volumeMount.setMountPath(mount.containerPath());
      volumeMount.setReadOnly(mount.readOnly() ? Boolean.TRUE : null);
      mounts.add(volumeMount);
    }
    container.setVolumeMounts(mounts.isEmpty() ? null : mounts);
    if (c.user() != null) {
      String[] ids = c.user().split(":");
      SecurityContext security = new SecurityContext();
      security.setRunAsUser(Long.parseLong(ids[0]));
      security.setRunAsGroup(ids.length > 1 ? Long.parseLong(ids[1]) : null);
      container.setSecurityContext(security);
    }
    if (c.memoryMb() > 0 || c.vcpus() > 0) {
      Map<String, Quantity> limits = new LinkedHashMap<>();
      if (c.memoryMb() > 0) {
        limits.put("memory", new Quantity(c.memoryMb() + "Mi"));
      }
      if (c.vcpus() > 0) {
        limits.put("cpu", new Quantity(Integer.toString(c.vcpus())));
      }
      ResourceRequirements resources = new ResourceRequirements();
      resources.setLimits(limits);
      container.setResources(resources);
    }
    if (c.health() != null) {
      container.setReadinessProbe(probe(c.health(), routePorts, false));
      if (c.health().liveness()) {
        container.setLivenessProbe(probe(c.health(), routePorts, true));
      }
    }
    Rollout rollout = Rollout.of(c);
    container.setLifecycle(rollout.lifecycle());

    PodSpec pod = new PodSpec();
    pod.setNodeSelector(node == null ? null : Map.of(ClusterCapabilities.HOSTNAME_LABEL, node));
    pod.setContainers(new ArrayList<>(List.of(container)));
    pod.setVolumes(volumes.isEmpty() ? null : volumes);
    pod.setTerminationGracePeriodSeconds(rollout.terminationGracePeriodSeconds());
    PodTemplateSpec template = new PodTemplateSpec();
    ObjectMeta podMeta = new ObjectMeta();
    podMeta.setLabels(podLabels);
    template.setMetadata(podMeta);
    template.setSpec(pod);
    LabelSelector labelSelector = new LabelSelector();
    labelSelector.setMatchLabels(selector);
    DeploymentSpec spec = new DeploymentSpec();
    spec.setReplicas(replicas);
    spec.setStrategy(rollout.deploymentStrategy());
    spec.setProgressDeadlineSeconds(Math.toIntExact(rollout.deadlineSeconds()));
    spec.setSelector(labelSelector);
    spec.setTemplate(template);
    Deployment deployment = new Deployment();
    deployment.setMetadata(meta(owner, name, labels));
    deployment.setSpec(spec);
    return deployment;
  }

  private static ContainerPort containerPort(String name, int port) {
    ContainerPort containerPort = new ContainerPort();
    containerPort.setName(name);
    containerPort.setContainerPort(port);
    containerPort.setProtocol("TCP");
    return containerPort;
  }

  /**
   * The hash of {@link #deployment}'s inputs: the component's spec hash covers the node, every
   * field of the component and its routes' container ports.
   */
  static String deploymentHash(Owner owner, String specHash, int replicas, Rollout rollout) {
    // The strategy and deadline shape the Deployment, not its pods: they are not in the spec hash,
    // so that a changed deadline does not roll the pod.
    return ObjectHash.of("Deployment", owner)
        .field(specHash)
        .count(replicas)
        .field(rollout.strategy().wire())
        .count(Math.toIntExact(rollout.deadlineSeconds()))
        .hash();
  }

  /**
   * A probe of the health probe's kind, at its port or its route's container port, with its timing
   * in whole seconds rounded up (period and timeout at least 1, as Kubernetes requires). The
   * failure threshold is the liveness probe's only (a file documents it as the failures that
   * restart a workload), so the readiness probe keeps kubelet's default.
   */
  static Probe probe(HealthProbe health, Map<String, Integer> routePorts, boolean liveness) {
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
    probe
        .withPeriodSeconds(Math.toIntExact(Math.max(1, Rollout.seconds(health.period()))))
        .withTimeoutSeconds(Math.toIntExact(Math.max(1, Rollout.seconds(health.timeout()))));
    long delay = Rollout.seconds(health.initialDelay());
    if (delay > 0) {
      probe.withInitialDelaySeconds(Math.toIntExact(delay));
    }
    if (liveness) {
      probe.withFailureThreshold(health.failureThreshold());
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

  static String serviceHash(Owner owner, ComponentSpec c, Map<String, Integer> routePorts) {
    var hash = ObjectHash.of("Service", owner).field(c.name()).count(routePorts.size());
    routePorts.forEach((route, port) -> hash.field(route).count(port));
    return hash.hash();
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

  static String ingressHash(
      Owner owner,
      ComponentSpec c,
      RouteSpec route,
      int containerPort,
      String secretName,
      OperatorConfig config) {
    return ObjectHash.of("Ingress", owner)
        .field(c.name())
        .field(route.name())
        .field(route.hostname())
        .count(containerPort)
        .field(secretName)
        .field(config.ingressClassName())
        .hash();
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

  static String tlsRouteHash(
      Owner owner, ComponentSpec c, RouteSpec route, int containerPort, OperatorConfig config) {
    OperatorConfig.GatewayRef gateway = config.gateway();
    return ObjectHash.of("TLSRoute", owner)
        .field(c.name())
        .field(route.name())
        .field(route.hostname())
        .count(route.port())
        .count(containerPort)
        .field(gateway.namespace())
        .field(gateway.name())
        .field(gateway.sectionName())
        .hash();
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

  static String certificateHash(
      Owner owner, ComponentSpec c, RouteSpec route, OperatorConfig.IssuerRef issuer) {
    return ObjectHash.of("Certificate", owner)
        .field(c.name())
        .field(route.name())
        .field(route.hostname())
        .field(issuer.kind())
        .field(issuer.name())
        .hash();
  }

  /** The Secret that holds a route's certificate and key, whoever writes it. */
  static String secretName(Owner owner, ComponentSpec c, RouteSpec route) {
    return ObjectNames.route(owner.name(), c.name(), route.name());
  }

  /**
   * The {@code kubernetes.io/tls} Secret of a certificate the operator issued: labelled and
   * controlled like the route's Ingress, with the names it covers and its expiry in annotations.
   */
  static Secret tlsSecret(
      Owner owner, CertificateRequest request, String chainPem, String keyPem, Instant notAfter) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ClusterLabels.SERVICE, owner.name());
    labels.put(ClusterLabels.COMPONENT, request.component());
    labels.put(ClusterLabels.ROUTE, request.route());
    ObjectMeta meta = meta(owner, request.secretName(), labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ClusterLabels.CERTIFICATE_NAMES, String.join(",", request.dnsNames()));
    annotations.put(ClusterLabels.CERTIFICATE_NOT_AFTER, notAfter.toString());
    meta.setAnnotations(annotations);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("tls.crt", base64(chainPem));
    data.put("tls.key", base64(keyPem));
    return new SecretBuilder().withMetadata(meta).withType(TLS_SECRET_TYPE).withData(data).build();
  }

  /**
   * The type of a Secret holding a certificate chain ({@code tls.crt}) and its key ({@code
   * tls.key}).
   */
  static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static ObjectMeta meta(Owner owner, String name, Map<String, String> labels) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(owner.namespace());
    meta.setLabels(new LinkedHashMap<>(labels));
    meta.setOwnerReferences(new ArrayList<>(List.of(owner.reference())));
    return meta;
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
