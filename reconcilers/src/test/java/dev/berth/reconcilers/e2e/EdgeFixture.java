package dev.berth.reconcilers.e2e;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateIssuer;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.IssuerPolicy;
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
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's edge for end-to-end tests, all real: an nginx started by Berth on 127.0.0.1, the local
 * CA, optionally a public CA (the berth-acme module's tests bring a pebble ACME server validating
 * http-01 through that nginx), and a TLS client that trusts the CAs and speaks SNI.
 *
 * <p>Public for the tests of the modules beside reconcilers (through its test-jar).
 */
public final class EdgeFixture implements AutoCloseable {

  /** A public CA serving the edge's public names, and what the test client must trust of it. */
  public record PublicCa(CertificateIssuer issuer, X509Certificate root, Closeable server) {}

  /** Starts a public CA that validates http-01 through the edge's nginx. */
  @FunctionalInterface
  public interface PublicCaStarter {

    /**
     * @param challengePort where the edge's nginx serves {@code /.well-known/acme-challenge/}
     * @param challenges the directory of challenge files nginx serves there
     * @param root a directory for the CA's own files
     */
    PublicCa start(int challengePort, Path challenges, Path root) throws Exception;
  }

  private final Path root;
  private final PublicCa publicCa;
  private final NginxConfig nginxConfig;
  private final NginxRegistrar nginx;
  private final LocalCaIssuer localCa;
  private final int listener;

  private EdgeFixture(
      Path root, PublicCa publicCa, NginxConfig nginxConfig, LocalCaIssuer localCa, int listener) {
    this.root = root;
    this.publicCa = publicCa;
    this.nginxConfig = nginxConfig;
    this.nginx = new NginxRegistrar(nginxConfig);
    this.localCa = localCa;
    this.listener = listener;
  }

  /**
   * The local CA alone, which then signs every name. Skips (or under CI fails) unless nginx is
   * installed; everything under {@code root}.
   */
  public static EdgeFixture start(Path root) throws Exception {
    return start(root, null);
  }

  /**
   * With a public CA for public names (null: none), started by {@code publicCa}. Skips (or under CI
   * fails) unless nginx is installed; everything under {@code root}.
   */
  public static EdgeFixture start(Path root, PublicCaStarter publicCa) throws Exception {
    NginxTestEnvironment.requireNginx();
    // nginx's workers run unprivileged and must reach the sockets and challenges under root.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    int challengePort = NginxTestEnvironment.freePort();
    Path challenges = Files.createDirectories(root.resolve("acme-challenges"));
    Files.setPosixFilePermissions(challenges, PosixFilePermissions.fromString("rwxr-xr-x"));
    NginxConfig nginx =
        NginxTestEnvironment.config(Files.createDirectories(root.resolve("nginx")))
            .acmeChallenge(new NginxConfig.AcmeChallenge(challengePort, challenges))
            .build();
    PublicCa ca = publicCa == null ? null : publicCa.start(challengePort, challenges, root);
    return new EdgeFixture(
        root,
        ca,
        nginx,
        new LocalCaIssuer(root.resolve("local-ca")),
        NginxTestEnvironment.freePort());
  }

  /** The proxy port every test route listens on. */
  public int listener() {
    return listener;
  }

  public LocalCaIssuer localCa() {
    return localCa;
  }

  /** How the node's nginx runs: its pid file above all. */
  public NginxConfig nginxConfig() {
    return nginxConfig;
  }

  /** A service whose one process (busybox httpd) serves {@code body} over HTTP on its route. */
  public ServiceSpec website(String name, String hostname, String body) throws IOException {
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

  /** Gives the node the proxy and the issuers, retrying certificates quickly. */
  public BerthNode.Builder wire(BerthNode.Builder node, Registry registry) {
    CertificateReconciler certificates =
        new CertificateReconciler(
            registry,
            new CertificateDirectory(root.resolve("certificates")),
            new IssuerPolicy(
                publicCa == null ? null : publicCa.issuer(),
                localCa,
                IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
            CertificateReconciler.DEFAULT_RENEW_BEFORE,
            false,
            java.time.Clock.systemUTC());
    return node.routeRegistrar(nginx)
        .certificates(certificates)
        .certificateRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
  }

  /** A TLS client that trusts the CAs. */
  public TlsClient client() throws Exception {
    List<X509Certificate> roots = new ArrayList<>();
    if (publicCa != null) {
      roots.add(publicCa.root());
    }
    roots.add(localCa.caCertificate());
    return TlsClient.trusting(roots.toArray(X509Certificate[]::new));
  }

  /** What an HTTPS GET of {@code /} for {@code hostname} answers, or why it could not. */
  public String fetch(TlsClient client, String hostname) {
    return client.fetch(listener, hostname);
  }

  @Override
  public void close() throws IOException {
    try {
      nginx.stop();
    } finally {
      if (publicCa != null) {
        publicCa.server().close();
      }
    }
  }
}
