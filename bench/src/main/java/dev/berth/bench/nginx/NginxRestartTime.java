package dev.berth.bench.nginx;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.route.ProxyHealth;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * How long a node takes to notice that its nginx died or hangs, and until its route answers again:
 * a {@link BerthNode} with a real nginx on 127.0.0.1 routing to one service (busybox httpd as a
 * process, a local-CA certificate), faulted behind its back {@code rounds} times in each of four
 * ways: its master killed with SIGKILL (the workers keep the port), master and workers killed,
 * master and workers stopped with SIGSTOP, the workers alone stopped (the master runs; only the
 * listener check sees it).
 *
 * <p>Noticed: from the fault to the {@code ProxyDown} event (status is written synchronously, so
 * the event's time is when the check saw it). Answers: from the fault to the first HTTPS GET that a
 * new nginx answers with the service's page (polled every 10 ms). Targets: noticed within 5 s.
 *
 * <p>Run from the repository root, as root or a user who may bind the ports (nginx, busybox and the
 * stream module installed):
 *
 * <pre>
 * ./mvnw -B -q -DskipTests -pl bench -am package
 * java -cp bench/target/benchmarks.jar dev.berth.bench.nginx.NginxRestartTime [rounds]
 * </pre>
 */
public final class NginxRestartTime {

  private static final String SERVICE = "tools";
  private static final String HOSTNAME = "tools.berth.internal";
  private static final String BODY = "hello from tools";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** One way of faulting nginx. */
  private enum Fault {
    KILL_MASTER,
    KILL_ALL,
    STOP_ALL,
    STOP_WORKERS
  }

  /** One fault's figures, in milliseconds from the fault. */
  private record Sample(long noticed, long answers) {}

  private final Path root;
  private final NginxConfig nginxConfig;
  private final LocalCaIssuer localCa;
  private final int listener;
  private final List<Long> stopped = new ArrayList<>();

  private NginxRestartTime(Path root) throws IOException {
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
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Files.createTempDirectory("berth-nginx-restart");
    // nginx started as root runs its workers unprivileged; they must reach the sockets under root.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      new NginxRestartTime(root).run(rounds);
    } finally {
      deleteTree(root);
    }
  }

  private void run(int rounds) throws Exception {
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
              .statusFlushInterval(Duration.ZERO)
              .build();
      node.start();
      try {
        registry.services().apply(ApplyRequest.of("bench", List.of(website())));
        System.out.printf(
            "one L7 route on 127.0.0.1:%d, nginx looked at every second; %d rounds per fault%n",
            listener, rounds);
        List<Sample> all = new ArrayList<>();
        for (Fault fault : Fault.values()) {
          List<Sample> samples = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            samples.add(measure(node, registry, fault));
          }
          print(fault.name().toLowerCase().replace('_', '-'), samples);
          all.addAll(samples);
        }
        print("all", all);
      } finally {
        NginxSignals.send("-CONT", stopped);
        node.stop(Duration.ofSeconds(10));
        for (Workload workload : runtime.list()) {
          runtime.remove(workload.id());
        }
      }
    } finally {
      nginx.stop();
    }
  }

  private Sample measure(BerthNode node, Registry registry, Fault fault) throws Exception {
    await(
        "the route to answer",
        () -> answers() && node.proxyHealth().map(ProxyHealth::serving).orElse(false));
    int eventsBefore = proxyDownEvents(registry).size();
    ProcessHandle master = master().orElseThrow();
    List<Long> session = NginxSignals.session(master.pid());
    List<Long> workers = session.stream().filter(pid -> pid != master.pid()).toList();
    // Anywhere in the check's cycle, as a real fault would fall.
    Thread.sleep(ThreadLocalRandom.current().nextLong(1000));
    Instant faulted = Instant.now();
    switch (fault) {
      case KILL_MASTER -> master.destroyForcibly();
      case KILL_ALL -> NginxSignals.send("-KILL", session);
      case STOP_ALL -> stop(session);
      case STOP_WORKERS -> stop(workers);
    }
    await(
        "a new nginx to answer",
        () -> {
          Optional<ProcessHandle> now = master();
          return now.isPresent() && now.get().pid() != master.pid() && answers();
        });
    long answers = Duration.between(faulted, Instant.now()).toMillis();
    await("the ProxyDown event", () -> proxyDownEvents(registry).size() > eventsBefore);
    Instant noticed = proxyDownEvents(registry).get(proxyDownEvents(registry).size() - 1).at();
    return new Sample(Duration.between(faulted, noticed).toMillis(), answers);
  }

  private void stop(List<Long> pids) throws Exception {
    stopped.addAll(pids);
    NginxSignals.send("-STOP", pids);
  }

  private static List<ServiceEvent> proxyDownEvents(Registry registry) {
    return registry.events().of(SERVICE).stream()
        .filter(event -> event.reason().equals("ProxyDown"))
        .toList();
  }

  private Optional<ProcessHandle> master() throws IOException {
    Path pidFile = nginxConfig.pidFile();
    String pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
    return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
  }

  /** Whether an HTTPS GET of the route, trusting the local CA, gets the service's page. */
  private boolean answers() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("local-ca", localCa.caCertificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener), 500);
        socket.setSoTimeout(500);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOSTNAME)));
        socket.setSSLParameters(parameters);
        String request = "GET / HTTP/1.1\r\nHost: " + HOSTNAME + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .contains(BODY);
      }
    } catch (Exception e) {
      return false;
    }
  }

  private ServiceSpec website() throws IOException {
    Path site = Files.createDirectories(root.resolve("site"));
    Files.writeString(site.resolve("index.html"), BODY);
    ComponentSpec web =
        ComponentSpec.builder("web", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            .cmd("-c", "exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h " + site)
            .restart(RestartPolicy.ALWAYS)
            .routes(new RouteSpec("https", listener, RouteMode.L7, HOSTNAME))
            .build();
    return new ServiceSpec(SERVICE, null, DesiredState.RUNNING, null, List.of(web));
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
      Thread.sleep(10);
    }
  }

  private static void print(String fault, List<Sample> samples) {
    System.out.printf(
        "%-13s noticed %s   answers again %s%n",
        fault,
        spread(samples.stream().map(Sample::noticed).toList()),
        spread(samples.stream().map(Sample::answers).toList()));
  }

  /** min / median / max in ms. */
  private static String spread(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return String.format(
        "min %5d  median %5d  max %5d ms",
        sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Signals for nginx's processes, which are not this JVM's children. */
  private static final class NginxSignals {

    /** Sends {@code signal} as kill(1) names it; pids that are gone are no failure. */
    static void send(String signal, List<Long> pids) throws Exception {
      if (pids.isEmpty()) {
        return;
      }
      List<String> command = new ArrayList<>(List.of("kill", signal));
      pids.forEach(pid -> command.add(Long.toString(pid)));
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }

    /** The processes of the session {@code leader} leads (nginx's master and its workers). */
    static List<Long> session(long leader) throws Exception {
      Process ps =
          new ProcessBuilder("ps", "-o", "pid=", "-s", Long.toString(leader))
              .redirectErrorStream(true)
              .start();
      String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ps.waitFor();
      return out.lines().map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
    }
  }
}
