package dev.berth.reconcilers.e2e;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateReconciler;
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
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The node's edge for end-to-end tests, all real: an nginx started by Berth on 127.0.0.1, a pebble
 * ACME server validating http-01 through that nginx, the local CA, and a TLS client that trusts
 * both CAs and speaks SNI.
 */
final class EdgeFixture implements AutoCloseable {

  private final Path root;
  private final PebbleTestEnvironment pebble;
  private final NginxConfig nginxConfig;
  private final NginxRegistrar nginx;
  private final LocalCaIssuer localCa;
  private final AcmeIssuer acme;
  private final int listener;

  private EdgeFixture(
      Path root,
      PebbleTestEnvironment pebble,
      NginxConfig nginxConfig,
      LocalCaIssuer localCa,
      AcmeIssuer acme,
      int listener) {
    this.root = root;
    this.pebble = pebble;
    this.nginxConfig = nginxConfig;
    this.nginx = new NginxRegistrar(nginxConfig);
    this.localCa = localCa;
    this.acme = acme;
    this.listener = listener;
  }

  /**
   * Skips (or under CI fails) unless nginx and pebble are installed; everything under {@code root}.
   */
  static EdgeFixture start(Path root) throws Exception {
    NginxTestEnvironment.requireNginx();
    // nginx's workers run unprivileged and must reach the sockets and challenges under root.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    int challengePort = NginxTestEnvironment.freePort();
    PebbleTestEnvironment pebble = PebbleTestEnvironment.start(challengePort, Map.of());
    Path challenges = Files.createDirectories(root.resolve("acme-challenges"));
    Files.setPosixFilePermissions(challenges, PosixFilePermissions.fromString("rwxr-xr-x"));
    NginxConfig nginx =
        NginxTestEnvironment.config(Files.createDirectories(root.resolve("nginx")))
            .acmeChallenge(new NginxConfig.AcmeChallenge(challengePort, challenges))
            .build();
    AcmeIssuer acme =
        new AcmeIssuer(
            AcmeConfig.builder(pebble.directoryUrl(), root.resolve("acme-account.pem"))
                .extraTrust(pebble.tlsCa())
                .build(),
            new DirectoryResponder(challenges));
    return new EdgeFixture(
        root,
        pebble,
        nginx,
        new LocalCaIssuer(root.resolve("local-ca")),
        acme,
        NginxTestEnvironment.freePort());
  }

  /** The proxy port every test route listens on. */
  int listener() {
    return listener;
  }

  LocalCaIssuer localCa() {
    return localCa;
  }

  /** How the node's nginx runs: its pid file above all. */
  NginxConfig nginxConfig() {
    return nginxConfig;
  }

  /** A service whose one process (busybox httpd) serves {@code body} over HTTP on its route. */
  ServiceSpec website(String name, String hostname, String body) throws IOException {
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

  /** Gives the node the proxy and both issuers, retrying certificates quickly. */
  BerthNode.Builder wire(BerthNode.Builder node, Registry registry) {
    CertificateReconciler certificates =
        new CertificateReconciler(
            registry,
            new CertificateDirectory(root.resolve("certificates")),
            new IssuerPolicy(acme, localCa, IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
            CertificateReconciler.DEFAULT_RENEW_BEFORE,
            false,
            java.time.Clock.systemUTC());
    return node.routeRegistrar(nginx)
        .certificates(certificates)
        .certificateRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
  }

  /** A TLS client that trusts both CAs. */
  TlsClient client() throws Exception {
    return TlsClient.trusting(pebble.issuingRoot(), localCa.caCertificate());
  }

  /** What an HTTPS GET of {@code /} for {@code hostname} answers, or why it could not. */
  String fetch(TlsClient client, String hostname) {
    return client.fetch(listener, hostname);
  }

  @Override
  public void close() throws IOException {
    try {
      nginx.stop();
    } finally {
      pebble.close();
    }
  }
}
