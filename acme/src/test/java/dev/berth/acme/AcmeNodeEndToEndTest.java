package dev.berth.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.e2e.EdgeFixture;
import dev.berth.reconcilers.e2e.EdgeNode;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way in, with real parts: services as host processes (busybox httpd), their routes
 * through a real nginx, one certificate from a real ACME server (pebble, validating http-01 through
 * that nginx) and one from the local CA.
 */
class AcmeNodeEndToEndTest {

  static final String PUBLIC_NAME = "shop.example.com";
  static final String INTERNAL_NAME = "tools.berth.internal";

  @TempDir Path root;
  EdgeNode edgeNode;
  EdgeFixture edge;
  Registry registry;
  ProcessRuntime runtime;
  BerthNode node;
  int listener;

  @BeforeEach
  void start() throws Exception {
    edgeNode = EdgeNode.start(root, AcmeNodeEndToEndTest::pebble, node -> node);
    edge = edgeNode.edge;
    registry = edgeNode.registry;
    runtime = edgeNode.runtime;
    node = edgeNode.node;
    listener = edge.listener();
  }

  @AfterEach
  void stop() throws Exception {
    if (edgeNode != null) {
      edgeNode.close();
    }
  }

  /** A pebble ACME server validating http-01 through the edge's nginx, and its issuer. */
  static EdgeFixture.PublicCa pebble(int challengePort, Path challenges, Path root)
      throws Exception {
    PebbleTestEnvironment pebble = PebbleTestEnvironment.start(challengePort, Map.of());
    try {
      AcmeIssuer acme =
          new AcmeIssuer(
              AcmeConfig.builder(pebble.directoryUrl(), root.resolve("acme-account.pem"))
                  .extraTrust(pebble.tlsCa())
                  .build(),
              new DirectoryResponder(challenges));
      return new EdgeFixture.PublicCa(acme, pebble.issuingRoot(), pebble::close);
    } catch (Exception | Error e) {
      pebble.close();
      throw e;
    }
  }

  ServiceSpec website(String name, String hostname, String body) throws Exception {
    return edge.website(name, hostname, body);
  }

  String fetch(TlsClient client, String hostname) {
    return edge.fetch(client, hostname);
  }

  @Test
  void servicesAreServedThroughNginxWithAcmeAndLocalCertificatesAndRepairedAfterAKill()
      throws Exception {
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    website("shop", PUBLIC_NAME, "hello from shop"),
                    website("tools", INTERNAL_NAME, "hello from tools"))));
    node.recover();
    TlsClient client = edge.client();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(fetch(client, PUBLIC_NAME)).contains("200 OK").contains("hello from shop");
              assertThat(fetch(client, INTERNAL_NAME)).contains("hello from tools");
            });
    X509Certificate shopCertificate = client.handshake(listener, PUBLIC_NAME);
    assertThat(shopCertificate.getIssuerX500Principal().getName()).containsIgnoringCase("pebble");
    X509Certificate toolsCertificate = client.handshake(listener, INTERNAL_NAME);
    assertThat(toolsCertificate.getIssuerX500Principal())
        .isEqualTo(edge.localCa().caCertificate().getSubjectX500Principal());
    assertThat(registry.status().conditions("shop"))
        .filteredOn(c -> c.type().equals("CertificateReady"))
        .extracting(Condition::status)
        .containsExactly(Condition.Status.TRUE);

    // Kill the shop's process behind Berth's back: it is restarted and served again.
    Workload shop =
        runtime.list().stream().filter(w -> "shop".equals(w.service())).findFirst().orElseThrow();
    ProcessHandle process =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains("sites/shop"))
            .findFirst()
            .orElseThrow();
    long killed = System.nanoTime();
    process.destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                runtime.inspect(shop.id()).map(Workload::running).orElse(false)
                    && !ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
    Duration repaired = Duration.ofNanos(System.nanoTime() - killed);
    System.out.println("process restarted " + repaired.toMillis() + " ms after kill -9");
    assertThat(repaired).isLessThan(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fetch(client, PUBLIC_NAME).contains("hello from shop"));

    // Stopping withdraws the route first, then stops the process, which is kept.
    registry.services().setDesiredState("shop", DesiredState.STOPPED, null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.inspect(shop.id()).map(w -> !w.running()).orElse(false));
    assertThatThrownBy(() -> client.handshake(listener, PUBLIC_NAME)).isInstanceOf(Exception.class);
    assertThat(fetch(client, INTERNAL_NAME)).contains("hello from tools");

    // Deleting removes the workload; the other service is untouched.
    registry.services().delete("shop", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inspect(shop.id()).isEmpty());
    assertThat(fetch(client, INTERNAL_NAME)).contains("hello from tools");
  }
}
