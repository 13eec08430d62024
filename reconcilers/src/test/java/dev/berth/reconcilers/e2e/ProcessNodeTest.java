package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateManager;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.acme.AcmeConfig;
import dev.berth.reconcilers.cert.acme.AcmeIssuer;
import dev.berth.reconcilers.cert.acme.DirectoryResponder;
import dev.berth.reconcilers.cert.acme.PebbleTestEnvironment;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.reconcilers.route.nginx.NginxRegistrar;
import dev.berth.reconcilers.route.nginx.NginxTestEnvironment;
import dev.berth.reconcilers.route.nginx.TlsClient;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.store.model.ComponentSpec;
import dev.berth.store.model.DesiredState;
import dev.berth.store.model.RestartPolicy;
import dev.berth.store.model.RouteMode;
import dev.berth.store.model.RouteSpec;
import dev.berth.store.model.RuntimeKind;
import dev.berth.store.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way in, with real parts: services as host processes (busybox httpd), their routes
 * through a real nginx, one certificate from a real ACME server (pebble, validating http-01 through
 * that nginx) and one from the local CA.
 */
class ProcessNodeTest {

  static final String PUBLIC_NAME = "shop.example.com";
  static final String INTERNAL_NAME = "tools.berth.internal";

  @TempDir Path root;
  PebbleTestEnvironment pebble;
  Registry registry;
  ProcessRuntime runtime;
  NginxRegistrar nginx;
  BerthNode node;
  int listener;
  LocalCaIssuer localCa;

  @BeforeEach
  void start() throws Exception {
    NginxTestEnvironment.requireNginx();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    int challengePort = NginxTestEnvironment.freePort();
    listener = NginxTestEnvironment.freePort();
    pebble = PebbleTestEnvironment.start(challengePort, Map.of());
    Path challenges = Files.createDirectories(root.resolve("acme-challenges"));
    Files.setPosixFilePermissions(challenges, PosixFilePermissions.fromString("rwxr-xr-x"));
    nginx =
        new NginxRegistrar(
            NginxTestEnvironment.config(Files.createDirectories(root.resolve("nginx")))
                .acmeChallenge(new NginxConfig.AcmeChallenge(challengePort, challenges))
                .build());
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
    localCa = new LocalCaIssuer(root.resolve("local-ca"));
    AcmeIssuer acme =
        new AcmeIssuer(
            AcmeConfig.builder(pebble.directoryUrl(), root.resolve("acme-account.pem"))
                .extraTrust(pebble.tlsCa())
                .build(),
            new DirectoryResponder(challenges));
    CertificateManager certificates =
        new CertificateManager(
            registry,
            new CertificateDirectory(root.resolve("certificates")),
            new IssuerPolicy(acme, localCa, IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
            CertificateManager.DEFAULT_RENEW_BEFORE,
            false,
            java.time.Clock.systemUTC());
    node =
        BerthNode.builder(registry, runtime)
            .routeRegistrar(nginx)
            .certificates(certificates)
            .certificateRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.stop(Duration.ofSeconds(10));
    }
    if (runtime != null) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
      runtime.close();
    }
    if (nginx != null) {
      nginx.stop();
    }
    if (registry != null) {
      registry.close();
    }
    if (pebble != null) {
      pebble.close();
    }
  }

  /** A service whose one process serves {@code body} over HTTP on its route's port. */
  ServiceSpec website(String name, String hostname, String body) throws Exception {
    Path site = Files.createDirectories(root.resolve("sites").resolve(name));
    Files.writeString(site.resolve("index.html"), body);
    ComponentSpec web =
        ComponentSpec.builder("web", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            .cmd("-c", "exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h " + site)
            .restart(RestartPolicy.ALWAYS)
            .routes(new RouteSpec("https", listener, RouteMode.L7, hostname))
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(web));
  }

  TlsClient client() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("pebble", pebble.issuingRoot());
    trust.setCertificateEntry("local-ca", localCa.caCertificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    return new TlsClient(
        () -> {
          try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  String fetch(TlsClient client, String hostname) {
    try {
      return client.get(listener, hostname, "/").text();
    } catch (Exception e) {
      return "unreachable: " + e.getMessage();
    }
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
    TlsClient client = client();
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
        .isEqualTo(localCa.caCertificate().getSubjectX500Principal());
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
    node.reconcile("shop");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.inspect(shop.id()).map(w -> !w.running()).orElse(false));
    assertThatThrownBy(() -> client.handshake(listener, PUBLIC_NAME)).isInstanceOf(Exception.class);
    assertThat(fetch(client, INTERNAL_NAME)).contains("hello from tools");

    // Deleting removes the workload; the other service is untouched.
    registry.services().delete("shop", null);
    node.reconcile("shop");
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inspect(shop.id()).isEmpty());
    assertThat(fetch(client, INTERNAL_NAME)).contains("hello from tools");
  }
}
