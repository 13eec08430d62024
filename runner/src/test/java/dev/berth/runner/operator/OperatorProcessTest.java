package dev.berth.runner.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.kubernetes.operator.OperatorSettings;
import dev.berth.kubernetes.operator.WatchedNamespaces;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.runner.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth operator}'s wiring on fabric8's mock API server, reached through a kubeconfig file
 * as a real cluster would be: it reconciles, and its admin endpoint serves JOSDK's metrics and a
 * readiness that fails when its informers lose the API server.
 */
class OperatorProcessTest {

  static final Path CRD = Path.of("..", "deploy", "kubernetes", "berthservices.berth.dev-v1.yml");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private OperatorProcess process;

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
  }

  @AfterEach
  void stop() {
    if (process != null) {
      process.close();
    }
    client.close();
    server.destroy();
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

  private OperatorProcess start() throws IOException {
    return start("");
  }

  /** Starts with the admin endpoint on a free loopback port and {@code moreToml} in the file. */
  private OperatorProcess start(String moreToml) throws IOException {
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    OperatorConfigLoader.Loaded loaded =
        OperatorConfigLoader.read(
            moreToml + "\n[metrics]\nlisten = \"127.0.0.1:" + port + "\"\n", "operator.toml");
    OperatorSettings settings = loaded.settings().withNamespaces(WatchedNamespaces.of("apps"));
    process =
        OperatorProcess.start(kubeconfig(), settings, loaded.metricsListen(), loaded.localCa());
    return process;
  }

  @Test
  void itReconcilesTheClusterItsKubeconfigNames() throws IOException {
    start();
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("web").build());
    service.setSpec(
        new BerthServiceSpec(
            null,
            null,
            null,
            List.of(BerthServiceSpec.Component.container("app", "nginx:1.27", List.of()))));
    client.resource(service).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(Deployment.class).inNamespace("apps").withName("web-app").get()
                    != null);
  }

  @Test
  void withTheLocalCaTheRoutesSecretHoldsACertificateTheCaSignedForItsHostname() throws Exception {
    Path ca = dir.resolve("ca");
    start("[certificates]\nsource = \"local-ca\"\n[certificates.local_ca]\ndir = \"" + ca + "\"\n");
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("web").build());
    service.setSpec(
        new BerthServiceSpec(
            null,
            null,
            null,
            List.of(
                BerthServiceSpec.Component.container(
                    "app",
                    "nginx:1.27",
                    List.of(new BerthServiceSpec.Route("www", 443, "l7", "www.example.test"))))));
    client.resource(service).create();

    Secret secret =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.secrets().inNamespace("apps").withName("web-app-www").get(),
                java.util.Objects::nonNull);
    List<X509Certificate> chain = Pem.decodeCertificates(data(secret, "tls.crt"));
    PrivateKey key = Pem.decodePrivateKey(data(secret, "tls.key"));
    X509Certificate authority =
        Pem.decodeCertificates(Files.readString(ca.resolve(LocalCaIssuer.CA_CERTIFICATE_FILE)))
            .get(0);

    X509Certificate leaf = chain.get(0);
    leaf.verify(authority.getPublicKey()); // throws unless the local CA signed it
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactly((Object) "www.example.test");
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).as("tls.key is the leaf's key").isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.network().v1().ingresses().inNamespace("apps").withName("web-app-www").get()
                    != null);
  }

  private static String data(Secret secret, String key) {
    return new String(
        java.util.Base64.getDecoder().decode(secret.getData().get(key)),
        java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void readyzIsOkAndMetricsHoldJosdkMeters() throws Exception {
    start();
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("empty").build());
    service.setSpec(new BerthServiceSpec(null, null, null, List.of()));
    client.resource(service).create();

    assertThat(get("/readyz")).isEqualTo("200 ok");
    assertThat(get("/healthz")).isEqualTo("200 ok");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/metrics").contains("operator_sdk_reconciliations_started"));
    assertThat(get("/metrics")).contains("jvm_memory_used_bytes");
  }

  @Test
  void readyzFailsNamingTheInformerOnceTheApiServerIsGone() throws Exception {
    start();
    assertThat(get("/readyz")).isEqualTo("200 ok");

    server.shutdown();

    await().atMost(Duration.ofSeconds(30)).until(() -> get("/readyz").startsWith("503 "));
    assertThat(get("/readyz")).contains("unhealthy: berthservice/");
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + process.adminPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }
}
