package dev.berth.reconcilers.route.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteBinding.CertificateFiles;
import dev.berth.reconcilers.route.RouteException;
import dev.berth.reconcilers.testing.TestPki;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.spec.model.RouteMode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NginxRegistrar} against a real nginx on 127.0.0.1: real TLS clients with SNI, real http
 * and TLS backends. Every test stops the nginx it started.
 */
class NginxRegistrarTest {

  /** An ACME token: base64url characters. */
  private static final String TOKEN = "Tok_en-123";

  private static TestPki ca;
  private static TlsClient client;

  @TempDir Path root;

  private NginxConfig config;
  private NginxRegistrar registrar;
  private final List<AutoCloseable> backends = new ArrayList<>();

  @BeforeAll
  static void nginxAndCa() throws GeneralSecurityException, IOException {
    NginxTestEnvironment.requireNginx();
    ca = TestPki.create();
    client = ca.client();
  }

  @BeforeEach
  void registrar() throws IOException {
    config = NginxTestEnvironment.config(root).build();
    registrar = new NginxRegistrar(config);
  }

  @AfterEach
  void stopEverything() throws Exception {
    registrar.stop();
    for (AutoCloseable backend : backends) {
      backend.close();
    }
    assertThat(master()).as("nginx master after stop").isNull();
  }

  @Test
  void anL7RouteReachesItsBackendWithItsOwnCertificate() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued leaf = ca.issueServer("app.berth.test");
    RouteBinding app = l7("app", "app.berth.test", port, httpBackend("web"), leaf);

    assertThat(registrar.apply(Set.of(app))).isTrue();

    TlsClient.Reply reply = client.get(port, "app.berth.test", "/");
    assertThat(reply.certificate()).isEqualTo(leaf.certificate());
    assertThat(reply.protocol()).isEqualTo("TLSv1.3");
    assertThat(reply.text())
        .startsWith("HTTP/1.1 200")
        .endsWith("web host=app.berth.test proto=https for=127.0.0.1");
    assertThat(registrar.current()).containsExactly(app);
  }

  @Test
  void anUnknownNameIsRefusedOnAnL7Port() throws Exception {
    int port = NginxTestEnvironment.freePort();
    registrar.apply(
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test"))));
    assertThat(client.handshake(port, "app.berth.test")).isNotNull();

    assertThatThrownBy(() -> client.handshake(port, "other.berth.test"))
        .isInstanceOf(SSLException.class)
        .hasMessageContaining("unrecognized_name");
  }

  @Test
  void anL4RouteIsPassedThroughToTheBackendsOwnTls() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued backendLeaf = ca.issueServer("db.berth.test");
    registrar.apply(Set.of(l4("db", "db.berth.test", port, tlsBackend("db", backendLeaf))));

    TlsClient.Reply reply = client.exchangeLine(port, "db.berth.test", "ping");

    assertThat(reply.certificate()).isEqualTo(backendLeaf.certificate());
    assertThat(reply.text()).isEqualTo("db got ping");
    assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
  }

  @Test
  void anL4RouteWithoutHostnamePassesEveryConnectionThroughWhateverItsSni() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued backendLeaf = ca.issueServer("mc.berth.test");
    registrar.apply(Set.of(l4("default", null, port, tlsBackend("mc", backendLeaf))));

    for (String sni : Arrays.asList("mc.berth.test", "anything.example", null)) {
      TlsClient.Reply reply = client.exchangeLine(port, sni, "ping " + sni);

      assertThat(reply.certificate()).isEqualTo(backendLeaf.certificate());
      assertThat(reply.text()).isEqualTo("mc got ping " + sni);
    }
    assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
  }

  @Test
  void aWildcardL4HostnameMatchesASubdomain() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued backendLeaf = ca.issueServer("*.pass.berth.test");
    registrar.apply(Set.of(l4("pass", "*.pass.berth.test", port, tlsBackend("pass", backendLeaf))));

    TlsClient.Reply reply = client.exchangeLine(port, "eu.pass.berth.test", "ping");

    assertThat(reply.certificate()).isEqualTo(backendLeaf.certificate());
    assertThat(reply.text()).isEqualTo("pass got ping");
  }

  @Test
  void anUnknownNameIsClosedOnAnL4Port() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued backendLeaf = ca.issueServer("db.berth.test");
    registrar.apply(Set.of(l4("db", "db.berth.test", port, tlsBackend("db", backendLeaf))));
    assertThat(client.exchangeLine(port, "db.berth.test", "ping").text()).isEqualTo("db got ping");

    assertThatThrownBy(() -> client.handshake(port, "other.berth.test"))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void l4AndL7RoutesShareAListenerPort() throws Exception {
    int port = NginxTestEnvironment.freePort();
    TestPki.Issued appLeaf = ca.issueServer("app.berth.test");
    TestPki.Issued dbLeaf = ca.issueServer("db.berth.test");
    registrar.apply(
        Set.of(
            l7("app", "app.berth.test", port, httpBackend("web"), appLeaf),
            l4("db", "db.berth.test", port, tlsBackend("db", dbLeaf))));

    TlsClient.Reply web = client.get(port, "app.berth.test", "/");
    TlsClient.Reply db = client.exchangeLine(port, "db.berth.test", "ping");

    assertThat(web.certificate()).isEqualTo(appLeaf.certificate());
    // The http half sits behind the stream half, yet still sees the client's address.
    assertThat(web.text()).endsWith("web host=app.berth.test proto=https for=127.0.0.1");
    assertThat(db.certificate()).isEqualTo(dbLeaf.certificate());
    assertThat(db.text()).isEqualTo("db got ping");
  }

  @Test
  void checkingEveryKindOfListenerFindsItAnsweringAndLeavesNoTraceInTheErrorLog() throws Exception {
    int shared = NginxTestEnvironment.freePort();
    int l4Only = NginxTestEnvironment.freePort();
    Path challenges = Files.createDirectories(root.resolve("acme"));
    registrar =
        new NginxRegistrar(
            config.toBuilder()
                .acmeChallenge(
                    new NginxConfig.AcmeChallenge(NginxTestEnvironment.freePort(), challenges))
                .build());
    registrar.apply(
        Set.of(
            l7(
                "app",
                "app.berth.test",
                shared,
                httpBackend("web"),
                ca.issueServer("app.berth.test")),
            l4("db", "db.berth.test", shared, tlsBackend("db", ca.issueServer("db.berth.test"))),
            l4("mq", "mq.berth.test", l4Only, tlsBackend("mq", ca.issueServer("mq.berth.test")))));
    long before = Files.size(config.errorLog());

    for (int i = 0; i < 3; i++) {
      assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
    }

    // The master may still be logging its workers' start; nothing may be about a connection.
    String logged = Files.readString(config.errorLog()).substring((int) before);
    assertThat(logged.lines()).noneMatch(line -> line.contains("client"));
  }

  @Test
  void anUnknownNameIsRefusedOnASharedPort() throws Exception {
    int port = NginxTestEnvironment.freePort();
    registrar.apply(
        Set.of(
            l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test")),
            l4("db", "db.berth.test", port, tlsBackend("db", ca.issueServer("db.berth.test")))));
    assertThat(client.handshake(port, "app.berth.test")).isNotNull();

    assertThatThrownBy(() -> client.handshake(port, "other.berth.test"))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void aRouteSetNginxRefusesChangesNothing() throws Exception {
    int port = NginxTestEnvironment.freePort();
    RouteBinding app =
        l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test"));
    registrar.apply(Set.of(app));
    byte[] before = Files.readAllBytes(config.configFile());
    Path missing = root.resolve("missing/fullchain.pem");
    RouteBinding broken = withoutItsCertificate("shop", port, missing);

    assertThatThrownBy(() -> registrar.apply(Set.of(app, broken)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining(config.candidateFile().toString());

    assertThat(Files.readAllBytes(config.configFile())).isEqualTo(before);
    assertThat(config.candidateFile()).doesNotExist();
    assertThat(registrar.current()).containsExactly(app);
    assertThat(client.get(port, "app.berth.test", "/").text()).endsWith("for=127.0.0.1");
  }

  @Test
  void aPortTakenByAnotherProgramFailsTheReloadAndKeepsThePreviousRoutes() throws Exception {
    int port = NginxTestEnvironment.freePort();
    RouteBinding app =
        l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test"));
    registrar.apply(Set.of(app));
    byte[] before = Files.readAllBytes(config.configFile());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RouteBinding shop =
          l7(
              "shop",
              "shop.berth.test",
              taken.getLocalPort(),
              httpBackend("shop"),
              ca.issueServer("shop.berth.test"));

      // nginx -t cannot see a port in use; only the master's reload does.
      assertThatThrownBy(() -> registrar.apply(Set.of(app, shop)))
          .isInstanceOf(RouteException.class)
          .hasMessageContaining("Address already in use");
    }

    assertThat(Files.readAllBytes(config.configFile())).isEqualTo(before);
    assertThat(registrar.current()).containsExactly(app);
    assertThat(client.get(port, "app.berth.test", "/").text()).contains("web host=");
  }

  @Test
  void concurrentAppliesAreSerialized() throws Exception {
    int port = NginxTestEnvironment.freePort();
    int backend = httpBackend("web");
    List<Set<RouteBinding>> sets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String hostname = "app" + i + ".berth.test";
      sets.add(Set.of(l7("app" + i, hostname, port, backend, ca.issueServer(hostname))));
    }
    ExecutorService threads = Executors.newFixedThreadPool(sets.size());
    try {
      List<Future<Boolean>> applies = new ArrayList<>();
      for (Set<RouteBinding> set : sets) {
        applies.add(threads.submit(() -> registrar.apply(set)));
      }
      for (Future<Boolean> apply : applies) {
        assertThat(apply.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }

    RouteBinding last = registrar.current().iterator().next();
    assertThat(client.get(port, last.hostname(), "/").text()).contains("host=" + last.hostname());
    assertThat(Files.readString(config.configFile()))
        .isEqualTo(new NginxConfigRenderer(config, true).render(registrar.current()));
  }

  @Test
  void withStartingDisabledTheConfigurationIsOnlyWritten() throws Exception {
    registrar = new NginxRegistrar(config.toBuilder().startIfNotRunning(false).build());
    int port = NginxTestEnvironment.freePort();
    Set<RouteBinding> routes =
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test")));

    assertThat(registrar.apply(routes)).isTrue();
    assertThat(registrar.apply(routes)).isFalse();

    assertThat(config.configFile()).exists();
    assertThat(master()).isNull();
  }

  @Test
  void anUnchangedRouteSetCausesNoReload() throws Exception {
    int port = NginxTestEnvironment.freePort();
    int backend = httpBackend("web");
    TestPki.Issued leaf = ca.issueServer("app.berth.test");
    registrar.apply(Set.of(l7("app", "app.berth.test", port, backend, leaf)));
    Object fileBefore = fileIdentity(config.configFile());
    Set<Long> workersBefore = settledWorkers();

    boolean changed = registrar.apply(Set.of(l7("app", "app.berth.test", port, backend, leaf)));

    assertThat(changed).isFalse();
    assertThat(fileIdentity(config.configFile())).isEqualTo(fileBefore);
    assertThat(workers()).isEqualTo(workersBefore);
  }

  @Test
  void aNewRegistrarReloadsOnceEvenWhenTheFileIsUnchanged() throws Exception {
    int port = NginxTestEnvironment.freePort();
    Set<RouteBinding> routes =
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test")));
    registrar.apply(routes);
    Set<Long> workersBefore = settledWorkers();
    NginxRegistrar restarted = new NginxRegistrar(config);

    assertThat(restarted.apply(routes)).isTrue();
    assertThat(restarted.apply(routes)).isFalse();

    assertThat(workers()).as("workers after the reload").isNotEqualTo(workersBefore);
    assertThat(client.get(port, "app.berth.test", "/").text()).contains("web host=");
  }

  @Test
  void aRemovedRouteIsNoLongerServed() throws Exception {
    int port = NginxTestEnvironment.freePort();
    RouteBinding app =
        l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test"));
    RouteBinding shop =
        l7("shop", "shop.berth.test", port, httpBackend("shop"), ca.issueServer("shop.berth.test"));
    registrar.apply(Set.of(app, shop));
    assertThat(client.get(port, "shop.berth.test", "/").text()).contains("shop host=");

    assertThat(registrar.apply(Set.of(app))).isTrue();

    assertThatThrownBy(() -> client.handshake(port, "shop.berth.test"))
        .isInstanceOf(SSLException.class);
    assertThat(client.get(port, "app.berth.test", "/").text()).contains("web host=");
  }

  @Test
  void aRenewedCertificateIsServedAfterApply() throws Exception {
    int port = NginxTestEnvironment.freePort();
    int backend = httpBackend("web");
    TestPki.Issued first = ca.issueServer("app.berth.test");
    registrar.apply(Set.of(l7("app", "app.berth.test", port, backend, first)));
    TestPki.Issued renewed = ca.issueServer("app.berth.test");

    // Same paths, new content: only the fingerprint tells.
    assertThat(registrar.apply(Set.of(l7("app", "app.berth.test", port, backend, renewed))))
        .isTrue();

    assertThat(client.handshake(port, "app.berth.test")).isEqualTo(renewed.certificate());
  }

  @Test
  void theAcmeChallengeServerServesATokenFileAsText() throws Exception {
    int port = startWithOnlyTheChallengeServer();

    HttpResponse<String> response = httpGet(port, "/.well-known/acme-challenge/" + TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TOKEN + ".key-authorization");
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
  }

  @Test
  void theAcmeChallengeServerAnswersAnythingElseWith404() throws Exception {
    int port = startWithOnlyTheChallengeServer();

    assertThat(httpGet(port, "/.well-known/acme-challenge/unknown").statusCode()).isEqualTo(404);
    assertThat(httpGet(port, "/").statusCode()).isEqualTo(404);
    assertThat(httpGet(port, "/.well-known/acme-challenge/..%2Fsecret").statusCode())
        .isEqualTo(404);
  }

  @Test
  void stopLetsNginxQuit() throws Exception {
    int port = NginxTestEnvironment.freePort();
    registrar.apply(
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test"))));
    assertThat(master()).isNotNull();

    registrar.stop();

    assertThat(master()).isNull();
    assertThat(registrar.current()).isEmpty();
    assertThatThrownBy(() -> client.handshake(port, "app.berth.test"))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void checkFindsNginxServingWhileItsMasterRunsAndItsListenersAnswer() throws Exception {
    int port = NginxTestEnvironment.freePort();
    registrar.apply(
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test"))));

    assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
  }

  @Test
  void aMasterThatDidNotTakeAReloadIsReplacedByTheNextApply() throws Exception {
    registrar = new NginxRegistrar(config.toBuilder().reloadTimeout(Duration.ofSeconds(1)).build());
    int port = NginxTestEnvironment.freePort();
    RouteBinding app =
        l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test"));
    RouteBinding shop =
        l7("shop", "shop.berth.test", port, httpBackend("shop"), ca.issueServer("shop.berth.test"));
    registrar.apply(Set.of(app));
    ProcessHandle hung = master();
    NginxTestEnvironment.signal("-STOP", List.of(hung.pid()));
    try {
      assertThatThrownBy(() -> registrar.apply(Set.of(app, shop)))
          .hasMessageContaining("did not switch to new workers within");
    } finally {
      NginxTestEnvironment.signal("-CONT", List.of(hung.pid()));
    }

    // Running again, it still counts as hung: it did not do what it was told when it was told.
    ProxyHealth health = registrar.check();
    assertThat(health.serving()).isFalse();
    assertThat(health.reason()).contains("did not switch to new workers within");
    assertThat(registrar.apply(Set.of(app, shop))).isTrue();

    assertThat(master().pid()).isNotEqualTo(hung.pid());
    assertThat(NginxTestEnvironment.isRunning(hung)).isFalse();
    assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
    assertThat(client.get(port, "shop.berth.test", "/").text()).contains("shop host=");
  }

  @Test
  void nginxFoundDeadWhileItsNewRoutesAreRefusedIsRestartedWithThePreviousOnes() throws Exception {
    int port = NginxTestEnvironment.freePort();
    RouteBinding app =
        l7("app", "app.berth.test", port, httpBackend("web"), ca.issueServer("app.berth.test"));
    registrar.apply(Set.of(app));
    ProcessHandle dead = master();
    List<ProcessHandle> orphans = NginxTestEnvironment.settledWorkers(dead);
    dead.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !NginxTestEnvironment.isRunning(dead));
    assertThat(registrar.check().reason())
        .isEqualTo(
            "nginx's master (pid "
                + dead.pid()
                + ") is gone; "
                + orphans.size()
                + " of its processes are left, holding its ports");
    Path missing = root.resolve("missing/fullchain.pem");
    RouteBinding broken = withoutItsCertificate("shop", port, missing);

    assertThatThrownBy(() -> registrar.apply(Set.of(app, broken)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining(missing.toString());

    assertThat(master()).isNotNull();
    assertThat(orphans).noneMatch(NginxTestEnvironment::isRunning);
    assertThat(registrar.current()).containsExactly(app);
    assertThat(registrar.check()).isEqualTo(ProxyHealth.SERVING);
    assertThat(client.get(port, "app.berth.test", "/").text()).contains("web host=");
  }

  @Test
  void stopKillsTheWorkersADeadMasterLeft() throws Exception {
    int port = NginxTestEnvironment.freePort();
    registrar.apply(
        Set.of(
            l7(
                "app",
                "app.berth.test",
                port,
                httpBackend("web"),
                ca.issueServer("app.berth.test"))));
    ProcessHandle dead = master();
    List<ProcessHandle> orphans = NginxTestEnvironment.settledWorkers(dead);
    dead.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !NginxTestEnvironment.isRunning(dead));
    // Without their master, the workers still serve the port.
    assertThat(client.get(port, "app.berth.test", "/").text()).contains("web host=");

    registrar.stop();

    assertThat(orphans).isNotEmpty().noneMatch(NginxTestEnvironment::isRunning);
    assertThatThrownBy(() -> client.handshake(port, "app.berth.test"))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void withStartingDisabledNginxNotRunningIsDownAndLeftToOthers() throws Exception {
    registrar = new NginxRegistrar(config.toBuilder().startIfNotRunning(false).build());

    registrar.apply(Set.of());

    assertThat(registrar.check())
        .isEqualTo(
            ProxyHealth.down(
                "nginx is not running (no pid in "
                    + config.pidFile()
                    + "); Berth is configured not to start nginx"));
    assertThat(master()).isNull();
  }

  /**
   * Starts nginx with no routes but the challenge server, with {@link #TOKEN}'s file in place and a
   * file next to the challenge directory that must never be served.
   */
  private int startWithOnlyTheChallengeServer() throws IOException {
    Path challenges = Files.createDirectories(root.resolve("acme"));
    Files.writeString(challenges.resolve(TOKEN), TOKEN + ".key-authorization");
    Files.writeString(root.resolve("secret"), "not for the world");
    int port = NginxTestEnvironment.freePort();
    registrar =
        new NginxRegistrar(
            config.toBuilder()
                .acmeChallenge(new NginxConfig.AcmeChallenge(port, challenges))
                .build());
    assertThat(registrar.apply(Set.of())).isTrue();
    return port;
  }

  private static HttpResponse<String> httpGet(int port, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private RouteBinding l7(String route, String hostname, int port, int backend, TestPki.Issued leaf)
      throws IOException, GeneralSecurityException {
    TestPki.PemFiles pem = leaf.writeTo(root.resolve("certs").resolve(route), "fullchain");
    CertificateFiles files =
        new CertificateFiles(pem.certificateChain(), pem.privateKey(), leaf.fingerprint());
    return new RouteBinding(route, "web", "https", RouteMode.L7, hostname, port, backend, files);
  }

  /** An L7 route whose certificate is not at {@code missing}: nginx -t refuses it. */
  private RouteBinding withoutItsCertificate(String route, int port, Path missing)
      throws IOException {
    return new RouteBinding(
        route,
        "web",
        "https",
        RouteMode.L7,
        route + ".berth.test",
        port,
        httpBackend(route),
        new CertificateFiles(missing, missing.resolveSibling("key.pem"), "ab12"));
  }

  private static RouteBinding l4(String route, String hostname, int port, int backend) {
    return new RouteBinding(route, "db", "tls", RouteMode.L4, hostname, port, backend, null);
  }

  private int httpBackend(String name) throws IOException {
    HttpBackend backend = HttpBackend.start(name);
    backends.add(backend);
    return backend.port();
  }

  private int tlsBackend(String name, TestPki.Issued leaf)
      throws IOException, GeneralSecurityException {
    TlsBackend backend = TlsBackend.start(name, leaf);
    backends.add(backend);
    return backend.port();
  }

  /** The running master of this test's nginx, or null. */
  private ProcessHandle master() throws IOException {
    // nginx -t leaves an empty pid file behind when nginx is not running.
    String pid = Files.exists(config.pidFile()) ? Files.readString(config.pidFile()).strip() : "";
    if (pid.isEmpty()) {
      return null;
    }
    return ProcessHandle.of(Long.parseLong(pid))
        .filter(NginxTestEnvironment::isRunning)
        .orElse(null);
  }

  private Set<Long> workers() throws IOException {
    return master().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private Set<Long> settledWorkers() throws Exception {
    return NginxTestEnvironment.settledWorkers(master()).stream()
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Changes when the file is replaced (a new inode), not only when its text changes. */
  private static Object fileIdentity(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return List.of(attributes.fileKey(), attributes.lastModifiedTime());
  }
}
