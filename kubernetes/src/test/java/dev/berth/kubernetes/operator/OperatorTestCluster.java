package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * A mock cluster with the operator running on it, for the operator tests: the test declares
 * BerthServices and plays the cluster's own controllers (a Deployment's ready replicas, a
 * Certificate's Ready condition). Every wait is bounded.
 */
final class OperatorTestCluster implements AutoCloseable {

  static final String NS = "apps";
  static final Duration WAIT = Duration.ofSeconds(30);

  final MockCluster cluster;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private BerthOperator operator;

  private OperatorTestCluster(MockCluster cluster) {
    this.cluster = cluster;
  }

  /** The mock cluster, with the CRDs of cert-manager and the Gateway API when asked for. */
  static OperatorTestCluster start(boolean certManager, boolean gatewayApi) throws Exception {
    OperatorTestCluster test = new OperatorTestCluster(MockCluster.start());
    try {
      if (certManager) {
        test.serve(Certificate.class);
      }
      if (gatewayApi) {
        test.serve(TLSRoute.class);
      }
    } catch (RuntimeException e) {
      test.close();
      throw e;
    }
    return test;
  }

  /** Starts the operator; the settings' namespaces are {@link #NS} unless they say otherwise. */
  OperatorTestCluster run(OperatorSettings settings) {
    return run(settings, null);
  }

  /** As {@link #run(OperatorSettings)}, with the issuer certificates source local-ca needs. */
  OperatorTestCluster run(OperatorSettings settings, TlsIssuer issuer) {
    operator = BerthOperator.start(cluster.client, settings, meters, issuer);
    return this;
  }

  OperatorTestCluster run() {
    return run(OperatorSettings.DEFAULTS.withNamespaces(WatchedNamespaces.of(NS)));
  }

  BerthOperator operator() {
    return operator;
  }

  /** A CRD for a model class, so that the mock serves (and discovers) its kind. */
  private void serve(Class<? extends HasMetadata> type) {
    String plural = HasMetadata.getPlural(type);
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(plural + "." + HasMetadata.getGroup(type))
            .endMetadata()
            .withNewSpec()
            .withGroup(HasMetadata.getGroup(type))
            .withScope("Namespaced")
            .withNewNames()
            .withKind(HasMetadata.getKind(type))
            .withPlural(plural)
            .withSingular(HasMetadata.getSingular(type))
            .endNames()
            .addNewVersion()
            .withName(HasMetadata.getVersion(type))
            .withServed(true)
            .withStorage(true)
            .endVersion()
            .endSpec()
            .build();
    cluster.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  // ---- declaring ----

  BerthService declare(String name, BerthServiceSpec spec) {
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    service.setSpec(spec);
    return cluster.client.resource(service).create();
  }

  BerthService change(String name, UnaryOperator<BerthServiceSpec> change) {
    return onConflictRetry(
        () ->
            cluster
                .client
                .resources(BerthService.class)
                .inNamespace(NS)
                .withName(name)
                .edit(
                    s -> {
                      s.setSpec(change.apply(s.getSpec()));
                      return s;
                    }));
  }

  /**
   * Runs an edit again when the operator wrote the object in between (409): a person's kubectl
   * would be told to try again, too. At most 10 attempts.
   */
  static <T> T onConflictRetry(java.util.function.Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  BerthService service(String name) {
    return cluster.client.resources(BerthService.class).inNamespace(NS).withName(name).get();
  }

  /** Waits until the service's status satisfies {@code condition}, and returns it. */
  BerthServiceStatus awaitStatus(String name, Predicate<BerthServiceStatus> condition) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> Optional.ofNullable(service(name)).map(BerthService::getStatus).orElse(null),
            status -> status != null && condition.test(status));
  }

  static Predicate<BerthServiceStatus> condition(String type, String status, String reason) {
    return s ->
        s.conditions() != null
            && s.conditions().stream()
                .anyMatch(
                    c ->
                        type.equals(c.type())
                            && status.equals(c.status())
                            && (reason == null || reason.equals(c.reason())));
  }

  static BerthServiceStatus.Condition conditionOf(BerthServiceStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> type.equals(c.type()))
        .findFirst()
        .orElseThrow();
  }

  // ---- the cluster's objects ----

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return cluster.client.resources(type).inNamespace(NS).withName(name).get();
  }

  <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> condition) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(() -> get(type, name), object -> object != null && condition.test(object));
  }

  <T extends HasMetadata> T await(Class<T> type, String name) {
    return await(type, name, object -> true);
  }

  void awaitGone(Class<? extends HasMetadata> type, String name) {
    Awaitility.await().atMost(WAIT).until(() -> get(type, name) == null);
  }

  List<Ingress> ingresses() {
    return cluster.client.network().v1().ingresses().inNamespace(NS).list().getItems();
  }

  /** Plays the Deployment controller: the Deployment's pods are up and ready. */
  void podsReady(String deployment) {
    onConflictRetry(
        () ->
            cluster
                .client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(deployment)
                .edit(
                    d -> {
                      int replicas = d.getSpec().getReplicas();
                      d.setStatus(
                          new DeploymentStatusBuilder()
                              .withReplicas(replicas)
                              .withUpdatedReplicas(replicas)
                              .withReadyReplicas(replicas)
                              .withAvailableReplicas(replicas)
                              .build());
                      return d;
                    }));
  }

  /** Plays the Deployment controller after a scale-down: no pod left. */
  void podsGone(String deployment) {
    onConflictRetry(
        () ->
            cluster
                .client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(deployment)
                .edit(
                    d -> {
                      d.setStatus(new DeploymentStatusBuilder().withReplicas(0).build());
                      return d;
                    }));
  }

  /**
   * Plays the ReplicaSet controller and kubelet: a pod of {@code deployment}'s current template,
   * whose container {@code container} waits for {@code reason}.
   */
  void podWaiting(String deployment, String container, String reason, String message) {
    Deployment owner = deployment(deployment);
    cluster
        .client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(deployment + "-pod")
                .withNamespace(NS)
                .withLabels(owner.getSpec().getTemplate().getMetadata().getLabels())
                .withCreationTimestamp("2026-12-02T10:00:00Z")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName(container)
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
  }

  /** Plays cert-manager: the Certificate is issued. */
  void certificateIssued(String name) {
    onConflictRetry(
        () ->
            cluster
                .client
                .resources(Certificate.class)
                .inNamespace(NS)
                .withName(name)
                .edit(
                    c -> {
                      c.setStatus(
                          new CertificateStatusBuilder()
                              .withConditions(
                                  new CertificateConditionBuilder()
                                      .withType("Ready")
                                      .withStatus("True")
                                      .withReason("Ready")
                                      .build())
                              .build());
                      return c;
                    }));
  }

  Deployment deployment(String name) {
    return get(Deployment.class, name);
  }

  @Override
  public void close() {
    try {
      if (operator != null) {
        operator.close();
      }
    } finally {
      cluster.close();
    }
  }
}
