package dev.berth.kubernetes.plan;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ServiceSpec;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A BerthService and the cluster it plans against, for the planner's tests. {@link #apply} plays
 * the API server (the plan's writes and deletions land); {@link #ready} and {@link #issue} play the
 * controllers a real cluster has (a Deployment's pods get ready, cert-manager issues).
 */
final class Scene {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final String NAMESPACE = "apps";
  static final String UID = "0b5e2f8a-1111-4c2d-9d3e-000000000001";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  OperatorConfig config = OperatorConfig.DEFAULTS;
  String namespace = NAMESPACE;
  String uid = UID;
  BerthServiceSpec spec;
  String name;
  long generation = 1;
  BerthServiceStatus previous;
  ObservedObjects observed = ObservedObjects.none();
  Admission admission = Admission.GRANTED;
  Instant now = NOW;

  static Scene of(ServiceSpec service) {
    Scene scene = new Scene();
    scene.declare(service);
    return scene;
  }

  Scene declare(ServiceSpec service) {
    name = service.name();
    spec = ServiceSpecMapping.fromServiceSpec(service);
    return this;
  }

  /** The spec changed: a new generation, as the API server counts. */
  Scene redeclare(ServiceSpec service) {
    generation++;
    return declare(service);
  }

  Scene config(OperatorConfig value) {
    config = value;
    return this;
  }

  Owner owner() {
    return new Owner(namespace, name, uid, generation);
  }

  KubernetesPlan plan() {
    return new KubernetesPlanner(config)
        .plan(new PlanInput(owner(), spec, previous, observed, admission, now));
  }

  /** Plans, then lets the plan land: its writes and deletions, and its status. */
  KubernetesPlan apply() {
    KubernetesPlan plan = plan();
    List<HasMetadata> objects = new ArrayList<>();
    for (HasMetadata object : observed.all()) {
      boolean replaced =
          plan.writes().stream().anyMatch(w -> sameObject(w, object))
              || plan.deletions().stream().anyMatch(d -> sameObject(d, object));
      if (!replaced) {
        objects.add(object);
      }
    }
    for (HasMetadata write : plan.writes()) {
      objects.add(copy(write)); // a write wipes the status a controller had set, as on the mock
    }
    objects.addAll(observed.pods()); // the planner never writes pods: they stay as they were
    observed =
        new ObservedObjects(
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                observed.tlsRouteApi())
            .with(objects.toArray(HasMetadata[]::new));
    previous = plan.status();
    return plan;
  }

  /** Applies plans until one writes and deletes nothing; at most a few rounds. */
  KubernetesPlan settle() {
    for (int round = 0; round < 5; round++) {
      KubernetesPlan plan = apply();
      if (plan.idle()) {
        return plan;
      }
    }
    throw new AssertionError("the plans did not settle in 5 rounds");
  }

  /** Every Deployment has as many ready pods as it asks for, as the cluster's controllers do. */
  Scene ready() {
    for (Deployment deployment : observed.deployments()) {
      int replicas = deployment.getSpec().getReplicas();
      deployment.setStatus(
          new DeploymentStatusBuilder()
              .withReplicas(replicas)
              .withUpdatedReplicas(replicas)
              .withReadyReplicas(replicas)
              .build());
    }
    return this;
  }

  /** cert-manager issues every Certificate. */
  Scene issue() {
    for (Certificate certificate : observed.certificates()) {
      certificate.setStatus(
          new CertificateStatusBuilder()
              .withConditions(
                  new CertificateConditionBuilder().withType("Ready").withStatus("True").build())
              .build());
    }
    return this;
  }

  Scene holding(HasMetadata... objects) {
    observed = observed.with(objects);
    return this;
  }

  static <T extends HasMetadata> T copy(T object) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) object.getClass();
    return JSON.unmarshal(JSON.asJson(object), type);
  }

  private static boolean sameObject(HasMetadata a, HasMetadata b) {
    return a.getKind().equals(b.getKind())
        && a.getMetadata().getName().equals(b.getMetadata().getName());
  }
}
