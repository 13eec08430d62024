package dev.berth.bench.deploy;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.reconcilers.route.nginx.NginxRegistrar;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a redeploy costs the clients of a routed service: a {@link BerthNode} with a real nginx on
 * 127.0.0.1 routing one L7 route (local CA) to busybox httpd as a process, and a client sending an
 * HTTPS GET (a new connection each) through the proxy at a steady rate while the service is
 * redeployed {@code REDEPLOYS} times, each a changed spec, the next one once the last is done (the
 * new version answers and one workload is left). Once with {@code update = "recreate"} (Berth's
 * only way before issue 15), once replaced beside (drain 1 s): requests sent, failed (anything but
 * a 200 with the page, or no answer within 2 s) and the latency's p50 / p99 / max.
 *
 * <p>Then a failed deploy: a spec whose process runs but never listens, replaced beside with a 5 s
 * deadline and {@code auto_revert}: requests failed meanwhile, and the time from the apply until
 * the previous spec is declared again (the {@code AutoReverted} event) and until the node runs it
 * alone again.
 *
 * <p>Run from the repository root (nginx with the stream module, busybox installed):
 *
 * <pre>
 * ./mvnw -B -q -DskipTests -pl bench -am package
 * java -cp bench/target/benchmarks.jar dev.berth.bench.deploy.RedeployUnderLoad [REDEPLOYS=10] [RATE=50]
 * </pre>
 */
public final class RedeployUnderLoad {

  private static final String HOSTNAME = "site.berth.internal";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int TIMEOUT_MILLIS = 2_000;

  private final Path root;
  private final NginxConfig nginxConfig;
  private final LocalCaIssuer localCa;
  private final int listener;
  private SSLContext tls;

  private RedeployUnderLoad(Path root) throws IOException {
    this.root = root;
    this.nginxConfig =
        NginxConfig.builder(root.resolve("nginx/conf"), root.resolve("nginx/prefix"))
            .listenAddress("127.0.0.1")
            .build();
    this.localCa = new LocalCaIssuer(root.resolve("local-ca"));
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.listener = socket.getLocalPort();
    }
  }

  public static void main(String[] args) throws Exception {
    int redeploys = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path root = Files.createTempDirectory("berth-redeploy");
    // nginx started as root runs its workers unprivileged; they must reach the files under root.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      new RedeployUnderLoad(root).run(redeploys, rate);
    } finally {
      deleteTree(root);
    }
  }

  /** What the client saw over one phase. */
  private record Load(
      int sent, int failed, List<Long> micros, List<String> failures, long millis) {}

  private void run(int redeploys, int rate) throws Exception {
    NginxRegistrar nginx = new NginxRegistrar(nginxConfig);
    try (Registry registry = Registry.open(RegistryConfig.at(root.resolve("data")));
        ProcessRuntime runtime =
            new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")))) {
      BerthNode node =
          BerthNode.builder(registry, runtime)
              .routeRegistrar(nginx)
              .certificates(
                  new CertificateReconciler(
                      registry,
                      new CertificateDirectory(root.resolve("certificates")),
                      new IssuerPolicy(null, localCa, IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
                      CertificateReconciler.DEFAULT_RENEW_BEFORE,
                      false,
                      java.time.Clock.systemUTC()))
              .certificateRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
              .build();
      node.start();
      try {
        System.out.printf(
            "one L7 route on 127.0.0.1:%d, %d requests/s, %d redeploys per strategy%n",
            listener, rate, redeploys);
        UpdatePolicy recreate = UpdatePolicy.of(UpdateStrategy.RECREATE);
        UpdatePolicy beside =
            new UpdatePolicy(
                UpdateStrategy.BESIDE, Duration.ofSeconds(30), Duration.ofSeconds(1), false);
        Load recreated = redeploys(registry, runtime, "recreate", recreate, redeploys, rate);
        Load besides = redeploys(registry, runtime, "beside", beside, redeploys, rate);
        System.out.printf(
            "%-9s %6s %6s %6s %9s %9s %9s%n",
            "strategy", "secs", "sent", "failed", "p50 ms", "p99 ms", "max ms");
        print("recreate", recreated);
        print("beside", besides);
        failedDeploy(registry, runtime, rate);
      } finally {
        node.stop(Duration.ofSeconds(10));
        for (Workload workload : runtime.list()) {
          runtime.remove(workload.id());
        }
      }
    } finally {
      nginx.stop();
    }
  }

  private Load redeploys(
      Registry registry,
      ProcessRuntime runtime,
      String service,
      UpdatePolicy policy,
      int redeploys,
      int rate)
      throws Exception {
    registry.services().apply(ApplyRequest.of("bench", List.of(website(service, 0, policy))));
    await("version 0 of " + service, () -> answers("version 0") && alone(runtime, service));
    Client client = new Client(rate);
    Thread load = new Thread(client, "load");
    load.start();
    try {
      Thread.sleep(500);
      for (int version = 1; version <= redeploys; version++) {
        String body = "version " + version;
        registry
            .services()
            .apply(ApplyRequest.of("bench", List.of(website(service, version, policy))));
        await(body + " of " + service, () -> answers(body) && alone(runtime, service));
        Thread.sleep(500);
      }
    } finally {
      client.running.set(false);
      load.join();
    }
    registry.services().delete(service, null);
    await(service + " gone", () -> runtime.list().isEmpty());
    return client.result();
  }

  /**
   * A deploy that never becomes healthy, replaced beside with auto_revert: what the client lost,
   * and how long until the previous spec was declared again and ran alone.
   */
  private void failedDeploy(Registry registry, ProcessRuntime runtime, int rate) throws Exception {
    String service = "failing";
    UpdatePolicy reverting =
        new UpdatePolicy(UpdateStrategy.BESIDE, Duration.ofSeconds(5), Duration.ofSeconds(1), true);
    ServiceSpec good = website(service, 0, reverting);
    registry.services().apply(ApplyRequest.of("bench", List.of(good)));
    await("the good version", () -> answers("version 0") && alone(runtime, service));
    ComponentSpec deaf = good.components().get(0).toBuilder().cmd("-c", "exec sleep 600").build();
    Client client = new Client(rate);
    Thread load = new Thread(client, "load");
    load.start();
    long reverted;
    long alone;
    try {
      Thread.sleep(500);
      long applied = System.nanoTime();
      registry
          .services()
          .apply(ApplyRequest.of("bench", List.of(good.withComponents(List.of(deaf)))));
      await(
          "the AutoReverted event",
          () ->
              registry.events().of(service).stream()
                  .map(ServiceEvent::reason)
                  .anyMatch("AutoReverted"::equals));
      reverted = Duration.ofNanos(System.nanoTime() - applied).toMillis();
      await("the good version alone", () -> alone(runtime, service) && answers("version 0"));
      alone = Duration.ofNanos(System.nanoTime() - applied).toMillis();
      Thread.sleep(500);
    } finally {
      client.running.set(false);
      load.join();
    }
    Load seen = client.result();
    boolean declaredAgain = registry.services().get(service).orElseThrow().spec().equals(good);
    System.out.printf(
        "failed deploy (deadline 5s, auto_revert): %d sent, %d failed; previous spec declared"
            + " again after %d ms (%s), running alone after %d ms%n",
        seen.sent(),
        seen.failed(),
        reverted,
        declaredAgain ? "checked" : "NOT the previous spec",
        alone);
    seen.failures().stream().limit(5).forEach(f -> System.out.println("  failed: " + f));
    registry.services().delete(service, null);
  }

  /**
   * Sends one GET every 1/rate s, each on a new TLS connection and a thread of its own, whether the
   * ones before answered or not (an open loop: a slow answer does not slow the rate down).
   */
  private final class Client implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final long periodNanos;
    final ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ExecutorService senders = Executors.newCachedThreadPool();
    long startedNanos;
    long endedNanos;

    Client(int rate) {
      periodNanos = 1_000_000_000L / rate;
    }

    @Override
    public void run() {
      startedNanos = System.nanoTime();
      long next = startedNanos;
      while (running.get()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            break;
          }
        }
        next += periodNanos;
        senders.execute(this::send);
      }
      endedNanos = System.nanoTime();
      senders.shutdown();
      try {
        senders.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void send() {
      long start = System.nanoTime();
      String reply = get();
      micros.add((System.nanoTime() - start) / 1_000);
      if (!reply.startsWith("HTTP/1.1 200") || !reply.contains("version ")) {
        failures.add(reply.lines().findFirst().orElse("(empty reply)"));
      }
    }

    Load result() {
      return new Load(
          micros.size(),
          failures.size(),
          List.copyOf(micros),
          List.copyOf(failures),
          Duration.ofNanos(endedNanos - startedNanos).toMillis());
    }
  }

  private static void print(String strategy, Load load) {
    List<Long> sorted = load.micros().stream().sorted().toList();
    System.out.printf(
        "%-9s %6.1f %6d %6d %9.1f %9.1f %9.1f%n",
        strategy,
        load.millis() / 1000.0,
        load.sent(),
        load.failed(),
        percentile(sorted, 0.50) / 1000.0,
        percentile(sorted, 0.99) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0);
    load.failures().stream()
        .distinct()
        .limit(3)
        .forEach(f -> System.out.println("          failed: " + f));
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static boolean alone(ProcessRuntime runtime, String service) {
    return runtime.list().stream().filter(w -> service.equals(w.service())).count() == 1;
  }

  private boolean answers(String body) {
    return get().contains(body);
  }

  /** An HTTPS GET of the route, trusting the local CA: the whole reply, or why there was none. */
  private String get() {
    try {
      try (SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket()) {
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), listener), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOSTNAME)));
        socket.setSSLParameters(parameters);
        String request = "GET / HTTP/1.1\r\nHost: " + HOSTNAME + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private synchronized SSLContext context() throws Exception {
    if (tls == null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("local-ca", localCa.caCertificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
    }
    return tls;
  }

  /** One version of the site: its own page, so its spec (the command) differs from the others'. */
  private ServiceSpec website(String service, int version, UpdatePolicy policy) throws IOException {
    Path site = Files.createDirectories(root.resolve("sites").resolve(service + "-" + version));
    Files.writeString(site.resolve("index.html"), "version " + version);
    ComponentSpec web =
        ComponentSpec.builder("web", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            .cmd("-c", "exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h " + site)
            .restart(RestartPolicy.ALWAYS)
            .routes(new RouteSpec("https", listener, RouteMode.L7, HOSTNAME))
            .update(policy)
            .build();
    return new ServiceSpec(service, null, DesiredState.RUNNING, null, List.of(web));
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + WAIT);
      }
      Thread.sleep(20);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
