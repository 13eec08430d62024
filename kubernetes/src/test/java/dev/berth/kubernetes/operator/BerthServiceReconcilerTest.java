package dev.berth.kubernetes.operator;

import static dev.berth.kubernetes.operator.OperatorTestCluster.condition;
import static dev.berth.kubernetes.operator.OperatorTestCluster.conditionOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceSpec.Component;
import dev.berth.kubernetes.resource.BerthServiceSpec.Route;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator on fabric8's mock API server: the test declares BerthServices and plays the
 * cluster's controllers; the operator must write what the mapping says, and nothing else.
 */
class BerthServiceReconcilerTest {

  private OperatorTestCluster test;

  @AfterEach
  void stop() {
    if (test != null) {
      test.close();
    }
  }

  // ---- fixtures ----

  static Component container(String name, String image, List<Route> routes) {
    return new Component(
        name,
        null,
        image,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "always",
        null,
        null,
        routes.isEmpty() ? null : routes,
        null,
        null);
  }

  static BerthServiceSpec spec(Component... components) {
    return new BerthServiceSpec(null, null, null, List.of(components));
  }

  static final Route WWW = new Route("www", 443, "l7", "www.example.test");

  static BerthServiceSpec withState(BerthServiceSpec spec, String state) {
    return new BerthServiceSpec(spec.node(), state, spec.comment(), spec.components());
  }

  static BerthServiceSpec withImage(BerthServiceSpec spec, String image) {
    Component c = spec.components().get(0);
    return spec(
        new Component(
            c.name(),
            c.runtime(),
            image,
            c.executable(),
            c.cmd(),
            c.env(),
            c.volumes(),
            c.ports(),
            c.network(),
            c.user(),
            c.restart(),
            c.memory(),
            c.vcpus(),
            c.routes(),
            c.health(),
            c.labels()));
  }

  // ---- create ----

  @Test
  void aContainerComponentBecomesAnOwnedDeploymentWithOneReplica() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    BerthService declared = test.declare("web", spec(container("app", "nginx:1.27", List.of())));

    Deployment deployment = test.await(Deployment.class, "web-app");

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.27");
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry(ClusterLabels.SERVICE, "web")
        .containsEntry(ClusterLabels.COMPONENT, "app")
        .containsEntry(ClusterLabels.GENERATION, "1")
        .containsKey(ClusterLabels.SPEC_HASH);
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .returns(declared.getMetadata().getUid(), OwnerReference::getUid)
        .returns(true, OwnerReference::getController);
  }

  @Test
  void aServiceIsReadyOnceItsPodsAreReadyInTheWordsOfBerthStatus() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));
    BerthServiceStatus starting =
        test.awaitStatus("web", s -> "starting".equals(s.components().get(0).state()));
    assertThat(starting.observedGeneration()).isEqualTo(1L);
    assertThat(conditionOf(starting, "Valid").status()).isEqualTo("True");
    assertThat(conditionOf(starting, "Ready").reason()).isEqualTo("Progressing");

    test.podsReady("web-app");

    BerthServiceStatus ready = test.awaitStatus("web", condition("Ready", "True", "Converged"));
    assertThat(ready.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.state()).isEqualTo("running");
              assertThat(c.ready()).isTrue();
              assertThat(c.runtime()).isEqualTo("container");
            });
  }

  // ---- change ----

  @Test
  void aChangedImageReplacesTheDeploymentAndMovesObservedGeneration() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));
    String firstHash =
        test.await(Deployment.class, "web-app")
            .getMetadata()
            .getLabels()
            .get(ClusterLabels.SPEC_HASH);

    test.change("web", s -> withImage(s, "nginx:1.28"));

    Deployment replaced =
        test.await(
            Deployment.class,
            "web-app",
            d ->
                "nginx:1.28"
                    .equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
    assertThat(replaced.getMetadata().getLabels())
        .containsEntry(ClusterLabels.GENERATION, "2")
        .doesNotContainEntry(ClusterLabels.SPEC_HASH, firstHash);
    test.awaitStatus("web", s -> Long.valueOf(2).equals(s.observedGeneration()));
  }

  // ---- certificates, then Ingress ----

  @Test
  void anL7RoutesIngressWaitsForItsCertificate() throws Exception {
    test = OperatorTestCluster.start(true, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));

    Certificate certificate = test.await(Certificate.class, "web-app-www");
    test.await(Service.class, "web-app");
    BerthServiceStatus waiting =
        test.awaitStatus("web", condition("CertificateReady", "False", null));
    assertThat(conditionOf(waiting, "RouteReady").reason()).isEqualTo("WaitingForCertificate");
    assertThat(test.ingresses()).isEmpty();
    assertThat(certificate.getSpec().getDnsNames()).containsExactly("www.example.test");

    test.certificateIssued("web-app-www");

    Ingress ingress = test.await(Ingress.class, "web-app-www");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .extracting("secretName")
        .isEqualTo("web-app-www");
    test.awaitStatus("web", condition("RouteReady", "True", "Served"));
  }
}
