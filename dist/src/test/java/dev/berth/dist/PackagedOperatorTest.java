package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster mode's jar, berth-operator.jar (the packages' berth.jar leaves it out: NodeJarTest),
 * as real processes on fabric8's mock API server: {@code berth kube export} writes a BerthService,
 * and {@code berth operator} turns it into every kind it writes or reads (Deployment, Service,
 * cert-manager's Certificate, Ingress, Gateway API's TLSRoute, a local CA's Secret, the
 * BerthService's status). runner/pom.xml's shade filters drop parts of fabric8, JOSDK's tooling,
 * BouncyCastle and gRPC that these paths must not need; the kubernetes module's own tests run on
 * the unshaded class path and cannot see a class too many dropped.
 */
class PackagedOperatorTest {

  static final Path JAR = Packages.OPERATOR_JAR;
  static final Path CRD =
      Path.of("..", "deploy", "kubernetes", "berthservices.berth.dev-v1.yml").toAbsolutePath();
  static final String NS = "apps";
  static final Duration WAIT = Duration.ofSeconds(90);

  /** What a class missing from the jar looks like in the operator's log. */
  static final List<String> MISSING_CLASS =
      List.of("NoClassDefFoundError", "ClassNotFoundException", "ServiceConfigurationError");

  static final String SERVICE =
      String.join(
          "\n",
          "name = \"web\"",
          "[[components]]",
          "name = \"app\"",
          "image = \"nginx:1.27\"",
          "restart = \"always\"",
          "[[components.routes]]",
          "name = \"www\"",
          "port = 443",
          "mode = \"l7\"",
          "hostname = \"www.example.test\"",
          "[[components.routes]]",
          "name = \"tls\"",
          "port = 8443",
          "mode = \"l4\"",
          "hostname = \"db.example.test\"",
          "");

  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Process operator;
  private Path log;

  @BeforeEach
  void startCluster() throws IOException {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient(new JdkHttpClientFactory());
    try (InputStream in = Files.newInputStream(CRD)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
    serve(Certificate.class);
    serve(TLSRoute.class);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (operator != null) {
      operator.destroy();
      if (!operator.waitFor(20, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
        operator.waitFor(20, TimeUnit.SECONDS);
      }
    }
    client.close();
    server.destroy();
  }

  @Test
  void theOperatorOfTheJarWritesAndReadsEveryKindItUses() throws Exception {
    declareExported();
    startOperator("");

    Deployment deployment = await(() -> get(Deployment.class, "web-app"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx:1.27"));
    assertThat(await(() -> get(Service.class, "web-app")).getSpec().getPorts()).hasSize(2);
    Certificate certificate = await(() -> get(Certificate.class, "web-app-www"));
    assertThat(certificate.getSpec().getDnsNames()).containsExactly("www.example.test");
    TLSRoute route = await(() -> get(TLSRoute.class, "web-app-tls"));
    assertThat(route.getSpec().getHostnames()).containsExactly("db.example.test");

    // The test plays the cluster's controllers: the pods become ready, cert-manager issues.
    edit(
        Deployment.class,
        "web-app",
        d -> {
          int replicas = d.getSpec().getReplicas();
          d.setStatus(
              new DeploymentStatusBuilder()
                  .withReplicas(replicas)
                  .withUpdatedReplicas(replicas)
                  .withReadyReplicas(replicas)
                  .withAvailableReplicas(replicas)
                  .build());
        });
    edit(
        Certificate.class,
        "web-app-www",
        c ->
            c.setStatus(
                new CertificateStatusBuilder()
                    .withConditions(
                        new CertificateConditionBuilder()
                            .withType("Ready")
                            .withStatus("True")
                            .withReason("Ready")
                            .build())
                    .build()));

    Ingress ingress = await(() -> get(Ingress.class, "web-app-www"));
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(tls -> assertThat(tls.getHosts()).containsExactly("www.example.test"));
    await(() -> condition("Ready", "True") ? true : null);
    await(() -> condition("RouteReady", "True") ? true : null);
    assertNoClassWasMissing();
  }

  @Test
  void withTheLocalCaTheOperatorOfTheJarIssuesTheRoutesCertificate() throws Exception {
    declareExported();
    Path ca = dir.resolve("ca");
    startOperator(
        "[certificates]\nsource = \"local-ca\"\n[certificates.local_ca]\ndir = \"" + ca + "\"\n");

    Secret secret = await(() -> get(Secret.class, "web-app-www"));
    X509Certificate leaf =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
    X509Certificate authority =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(ca.resolve("ca.pem")));
    leaf.verify(authority.getPublicKey()); // throws unless the local CA signed it
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactly((Object) "www.example.test");
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get("tls.key")),
                StandardCharsets.US_ASCII))
        .contains("PRIVATE KEY");
    await(() -> get(Ingress.class, "web-app-www"));
    assertNoClassWasMissing();
  }

  /** {@code berth kube export} of the jar, applied to the cluster as kubectl would. */
  private void declareExported() throws Exception {
    Path file = dir.resolve("web.toml");
    Files.writeString(file, SERVICE);
    Path exported = dir.resolve("web.yaml");
    Process export =
        new ProcessBuilder(
                Command.java(), "-jar", JAR.toString(), "kube", "export", "-f", file.toString())
            .redirectOutput(exported.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("export.err").toFile()))
            .start();
    export.getOutputStream().close();
    assertThat(export.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(export.exitValue())
        .as(() -> Command.readOrEmpty(dir.resolve("export.err")))
        .isZero();
    String yaml = Files.readString(exported);
    assertThat(yaml).contains("kind: \"BerthService\"").contains("name: \"web\"");
    HasMetadata declared = client.resource(yaml).inNamespace(NS).create();
    assertThat(declared.getKind()).isEqualTo("BerthService");
  }

  private void startOperator(String moreToml) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = dir.resolve("operator.toml");
    Files.writeString(config, moreToml + "\n[metrics]\nlisten = \"127.0.0.1:" + port + "\"\n");
    log = dir.resolve("operator.log");
    operator =
        new ProcessBuilder(
                Command.java(),
                "-jar",
                JAR.toString(),
                "operator",
                "--kubeconfig",
                kubeconfig().toString(),
                "-n",
                NS,
                "--config",
                config.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    operator.getOutputStream().close();
  }

  private Path kubeconfig() throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: " + server.url("/").replaceAll("/$", ""),
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    user: test",
            "current-context: mock",
            "users:",
            "- name: test",
            "  user:",
            "    token: not-checked-by-the-mock",
            ""));
    return file;
  }

  /** A CRD of another project's kind, so that the mock serves it (the operator checks). */
  private void serve(Class<? extends HasMetadata> type) {
    String plural = HasMetadata.getPlural(type);
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
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
                .build())
        .create();
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(NS).withName(name).get();
  }

  private <T extends HasMetadata> void edit(
      Class<T> type, String name, java.util.function.Consumer<T> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        client
            .resources(type)
            .inNamespace(NS)
            .withName(name)
            .edit(
                resource -> {
                  change.accept(resource);
                  return resource;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  /** Whether the BerthService's status has condition {@code type} at {@code status}. */
  @SuppressWarnings("unchecked")
  private boolean condition(String type, String status) {
    GenericKubernetesResource service =
        client
            .genericKubernetesResources("berth.dev/v1alpha1", "BerthService")
            .inNamespace(NS)
            .withName("web")
            .get();
    Object found = service == null ? null : service.getAdditionalProperties().get("status");
    if (!(found instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return false;
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> type.equals(c.get("type")) && status.equals(c.get("status")));
  }

  private <T> T await(Supplier<T> value) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      T found = value.get();
      if (found != null) {
        return found;
      }
      if (!operator.isAlive()) {
        throw new AssertionError(
            "the operator exited " + operator.exitValue() + ":\n" + Command.readOrEmpty(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not within "
            + WAIT
            + "; the BerthService:\n"
            + client
                .genericKubernetesResources("berth.dev/v1alpha1", "BerthService")
                .inNamespace(NS)
                .list()
                .getItems()
            + "\nthe operator's log:\n"
            + Command.readOrEmpty(log));
  }

  private void assertNoClassWasMissing() {
    String output = Command.readOrEmpty(log);
    for (String symptom : MISSING_CLASS) {
      assertThat(output).as("the operator's log").doesNotContain(symptom);
    }
  }
}
