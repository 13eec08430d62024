package dev.berth.kubernetes.operator;

import static dev.berth.kubernetes.operator.OperatorTestCluster.NS;
import static dev.berth.kubernetes.operator.OperatorTestCluster.condition;
import static dev.berth.kubernetes.operator.OperatorTestCluster.conditionOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceSpec.Component;
import dev.berth.kubernetes.resource.BerthServiceSpec.Route;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.stage.ClusterStage;
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
    return Component.container(name, image, routes);
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

  @Test
  void aPodThatCannotPullItsImageFailsTheServiceInTheWordsOfBerthStatus() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));
    test.await(Deployment.class, "web-app");

    test.podWaiting(
        "web-app",
        "app",
        "ErrImagePull",
        "pull access denied for nginx, repository does not exist");

    BerthServiceStatus failed = test.awaitStatus("web", condition("Ready", "False", "Failed"));
    assertThat(failed.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.reason()).isEqualTo("ImageMissing");
              assertThat(c.message()).contains("pull access denied");
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

  // ---- stop, start ----

  @Test
  void stoppingRemovesRoutesFirstThenScalesToZeroAndKeepsTheDeployment() throws Exception {
    test = OperatorTestCluster.start(true, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");
    test.await(Ingress.class, "web-app-www");
    test.podsReady("web-app");
    test.awaitStatus("web", condition("Ready", "True", "Converged"));

    test.change("web", s -> withState(s, "stopped"));

    test.awaitGone(Ingress.class, "web-app-www");
    Deployment stopped =
        test.await(Deployment.class, "web-app", d -> d.getSpec().getReplicas() == 0);
    assertThat(stopped.getMetadata().getDeletionTimestamp()).isNull();
    test.podsGone("web-app");
    BerthServiceStatus status = test.awaitStatus("web", condition("Ready", "True", "Converged"));
    assertThat(status.components()).singleElement().extracting("state").isEqualTo("stopped");
    assertThat(conditionOf(status, "RouteReady").status()).isEqualTo("False");
    assertThat(test.get(Certificate.class, "web-app-www"))
        .as("kept, for a quick start")
        .isNotNull();
  }

  @Test
  void startingAStoppedServiceScalesItBackAndServesItsRoutes() throws Exception {
    test = OperatorTestCluster.start(true, false).run();
    test.declare("web", withState(spec(container("app", "nginx:1.27", List.of(WWW))), "stopped"));
    test.await(Deployment.class, "web-app", d -> d.getSpec().getReplicas() == 0);
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");

    test.change("web", s -> withState(s, null));

    test.await(Deployment.class, "web-app", d -> d.getSpec().getReplicas() == 1);
    test.await(Ingress.class, "web-app-www");
    test.podsReady("web-app");
    test.awaitStatus("web", condition("Ready", "True", "Converged"));
  }

  // ---- delete ----

  @Test
  void deletingTheServiceDeletesEveryObjectOfItsOwn() throws Exception {
    test = OperatorTestCluster.start(true, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");
    test.await(Ingress.class, "web-app-www");

    test.cluster.client.resource(test.service("web")).delete();

    test.awaitGone(BerthService.class, "web");
    assertThat(test.get(Deployment.class, "web-app")).isNull();
    assertThat(test.get(Service.class, "web-app")).isNull();
    assertThat(test.get(Ingress.class, "web-app-www")).isNull();
    assertThat(test.get(Certificate.class, "web-app-www")).isNull();
  }

  // ---- drift ----

  @Test
  void aDeletedDeploymentComesBack() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));
    String uid = test.await(Deployment.class, "web-app").getMetadata().getUid();

    test.cluster.client.apps().deployments().inNamespace(NS).withName("web-app").delete();

    test.await(Deployment.class, "web-app", d -> !d.getMetadata().getUid().equals(uid));
  }

  @Test
  void aDeletedIngressComesBack() throws Exception {
    test = OperatorTestCluster.start(true, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");
    String uid = test.await(Ingress.class, "web-app-www").getMetadata().getUid();

    test.cluster.client.network().v1().ingresses().inNamespace(NS).withName("web-app-www").delete();

    test.await(Ingress.class, "web-app-www", i -> !i.getMetadata().getUid().equals(uid));
  }

  // ---- refused: nothing written ----

  /** The writes to anything but BerthServices themselves (their finalizer and status). */
  private List<String> objectWritesSince(int mark) {
    return test.cluster.writesSince(mark).stream()
        .filter(w -> !w.contains("/apis/berth.dev/"))
        .toList();
  }

  @Test
  void aProcessComponentIsRefusedAndNothingIsWritten() throws Exception {
    test = OperatorTestCluster.start(true, true).run();
    int mark = test.cluster.mark();
    test.declare(
        "tool",
        spec(
            new Component(
                "run",
                "process",
                null,
                "/usr/bin/tool",
                null,
                null,
                null,
                null,
                null,
                null,
                "always",
                null,
                null,
                null,
                null,
                null)));

    BerthServiceStatus refused =
        test.awaitStatus("tool", condition("Valid", "False", "RuntimeNotSupported"));

    assertThat(conditionOf(refused, "Valid").message()).contains("components[0].runtime");
    assertThat(conditionOf(refused, "Ready").status()).isEqualTo("False");
    assertThat(objectWritesSince(mark)).isEmpty();
  }

  @Test
  void anInvalidSpecNamesEveryFieldPathAndWritesNothing() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    int mark = test.cluster.mark();
    test.declare(
        "web",
        spec(
            container("app", "nginx", List.of(new Route("www", 70000, "l4", "www.example.test")))));

    BerthServiceStatus refused =
        test.awaitStatus("web", condition("Valid", "False", "InvalidSpec"));

    assertThat(conditionOf(refused, "Valid").message())
        .contains("components[0].image")
        .contains("components[0].routes[0].port");
    assertThat(objectWritesSince(mark)).isEmpty();
  }

  @Test
  void restartNoIsRefusedBecauseADeploymentAlwaysRestarts() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    int mark = test.cluster.mark();
    Component c = container("app", "nginx:1.27", List.of());
    test.declare(
        "web",
        spec(
            new Component(
                c.name(), null, c.image(), null, null, null, null, null, null, null, "no", null,
                null, null, null, null)));

    BerthServiceStatus refused =
        test.awaitStatus("web", condition("Valid", "False", "NotSupportedOnCluster"));

    assertThat(conditionOf(refused, "Valid").message()).contains("components[0].restart");
    assertThat(objectWritesSince(mark)).isEmpty();
  }

  // ---- a name another holds ----

  @Test
  void aDeploymentThatIsNotItsOwnIsNeverTouched() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    Deployment stranger =
        test.cluster
            .client
            .resource(
                new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata()
                    .withNamespace(NS)
                    .withName("web-app")
                    .withLabels(java.util.Map.of("app", "someone-else"))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(3)
                    .endSpec()
                    .build())
            .create();
    int mark = test.cluster.mark();

    test.declare("web", spec(container("app", "nginx:1.27", List.of())));

    BerthServiceStatus conflict =
        test.awaitStatus("web", condition("Ready", "False", "NameConflict"));
    assertThat(conditionOf(conflict, "Ready").message()).contains("Deployment web-app");
    assertThat(objectWritesSince(mark)).isEmpty();
    assertThat(test.deployment("web-app").getMetadata().getResourceVersion())
        .isEqualTo(stranger.getMetadata().getResourceVersion());
  }

  // ---- boot stages ----

  @Test
  void aLaterStageWaitsUntilTheEarlierOnesServicesAreReady() throws Exception {
    test = OperatorTestCluster.start(false, false);
    test.run(
        OperatorSettings.DEFAULTS
            .withNamespaces(WatchedNamespaces.of(NS))
            .withStages(
                List.of(
                    new ClusterStage("data", List.of("db"), null, true),
                    new ClusterStage("apps", List.of(NS + "/web"), null, true))));
    test.declare("db", spec(container("main", "postgres:17.2", List.of())));
    test.await(Deployment.class, "db-main");
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));

    BerthServiceStatus held =
        test.awaitStatus("web", condition("Admitted", "False", "WaitingForStage"));
    assertThat(conditionOf(held, "Admitted").message()).contains("data");
    assertThat(held.components()).singleElement().extracting("state").isEqualTo("waiting");
    assertThat(test.deployment("web-app")).isNull();

    test.podsReady("db-main");

    test.await(Deployment.class, "web-app");
    test.awaitStatus("web", condition("Admitted", "True", null));
  }

  // ---- l4 routes ----

  static final Route PASSTHROUGH = new Route("tls", 8443, "l4", "db.example.test");

  @Test
  void anL4RouteBecomesATlsRouteOnTheConfiguredGateway() throws Exception {
    test = OperatorTestCluster.start(false, true).run();
    test.declare("db", spec(container("main", "postgres:17.2", List.of(PASSTHROUGH))));

    io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute route =
        test.await(
            io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute.class, "db-main-tls");

    assertThat(route.getSpec().getParentRefs())
        .singleElement()
        .extracting("name")
        .isEqualTo("berth-passthrough");
    assertThat(route.getSpec().getHostnames()).containsExactly("db.example.test");
    test.awaitStatus("db", condition("RouteReady", "True", "Served"));
  }

  @Test
  void anL4RouteWithoutTheTlsRouteApiIsNotServedAndSaysWhy() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("db", spec(container("main", "postgres:17.2", List.of(PASSTHROUGH))));

    test.awaitStatus("db", condition("RouteReady", "False", "NoPassthroughGateway"));
    assertThat(test.deployment("db-main")).isNotNull();
  }

  // ---- idle ----

  @Test
  void anIdleServiceCostsNoWriteAcrossResyncs() throws Exception {
    test = OperatorTestCluster.start(true, false);
    test.run(
        OperatorSettings.DEFAULTS
            .withNamespaces(WatchedNamespaces.of(NS))
            .withResync(java.time.Duration.ofMillis(500)));
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");
    test.await(Ingress.class, "web-app-www");
    test.podsReady("web-app");
    BerthServiceStatus converged = test.awaitStatus("web", condition("Ready", "True", "Converged"));
    double before = reconciles();
    int mark = test.cluster.mark();

    org.awaitility.Awaitility.await()
        .atMost(OperatorTestCluster.WAIT)
        .until(() -> reconciles() >= before + 3);

    assertThat(test.cluster.writesSince(mark)).isEmpty();
    assertThat(test.service("web").getStatus()).isEqualTo(converged);
  }

  private double reconciles() {
    return test.meters.getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
        .mapToDouble(m -> m.measure().iterator().next().getValue())
        .sum();
  }

  // ---- the operator stopping ----

  @Test
  void stoppingTheOperatorLeavesWhatItWrote() throws Exception {
    test = OperatorTestCluster.start(false, false).run();
    test.declare("web", spec(container("app", "nginx:1.27", List.of())));
    test.await(Deployment.class, "web-app");
    int mark = test.cluster.mark();

    test.operator().close();

    assertThat(test.cluster.writesSince(mark)).isEmpty();
    assertThat(test.deployment("web-app")).isNotNull();
    assertThat(test.service("web")).isNotNull();
  }

  // ---- certificates from Secrets someone else writes ----

  @Test
  void withExistingSecretsTheIngressWaitsForTheRoutesTlsSecret() throws Exception {
    test = OperatorTestCluster.start(false, false);
    dev.berth.kubernetes.plan.OperatorConfig secrets =
        new dev.berth.kubernetes.plan.OperatorConfig(
            dev.berth.kubernetes.plan.OperatorConfig.DEFAULT_GATEWAY,
            dev.berth.kubernetes.plan.OperatorConfig.CertificateSource.existingSecrets(),
            null,
            dev.berth.kubernetes.plan.OperatorConfig.DEFAULT_FIRST_ROUTE_PORT,
            null,
            false,
            dev.berth.kubernetes.plan.OperatorConfig.DEFAULT_STAGE_RECHECK,
            dev.berth.kubernetes.plan.OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
            java.time.Duration.ofMillis(200));
    test.run(
        OperatorSettings.DEFAULTS.withNamespaces(WatchedNamespaces.of(NS)).withPlanner(secrets));
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.awaitStatus("web", condition("CertificateReady", "False", "Pending"));
    assertThat(test.ingresses()).isEmpty();

    test.cluster
        .client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("web-app-www")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", "Y2VydA==")
                .addToData("tls.key", "a2V5")
                .build())
        .create();

    Ingress ingress = test.await(Ingress.class, "web-app-www");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .extracting("secretName")
        .isEqualTo("web-app-www");
    assertThat(test.get(Certificate.class, "web-app-www")).isNull();
  }

  // ---- no server-side apply ----

  @Test
  void noObjectNorStatusIsWrittenWithServerSideApply() throws Exception {
    test = OperatorTestCluster.start(true, true).run();
    test.declare(
        "web",
        spec(container("app", "nginx:1.27", List.of(WWW, new Route("tls", 8443, "l4", null)))));
    test.await(Certificate.class, "web-app-www");
    test.certificateIssued("web-app-www");
    test.await(Ingress.class, "web-app-www");
    test.podsReady("web-app");
    test.awaitStatus("web", condition("Ready", "True", "Converged"));

    assertThat(test.cluster.writes())
        .isNotEmpty()
        .extracting(r -> String.valueOf(r.getHeader("Content-Type")))
        .noneMatch(type -> type.contains("apply-patch"));
  }
}
