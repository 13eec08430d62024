package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteReconciler;
import dev.berth.reconcilers.route.nginx.NginxRegistrar;
import dev.berth.reconcilers.route.nginx.NginxTestEnvironment;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx under a node's supervision, all real: the nginx Berth starts on 127.0.0.1, routing to a
 * service (busybox httpd as a process) with a local-CA certificate. Behind Berth's back nginx is
 * killed (its master alone, whose workers keep the port; or all of it), stopped, or its port is
 * taken: the node notices within 5 s, restarts it, records it in the service's events, and while
 * nginx is down says so (its health, its faults, the route not served).
 */
class NginxSupervisionTest {

  static final String SERVICE = "tools";
  static final String HOSTNAME = "tools.berth.internal";
  static final String BODY = "hello from tools";

  /** The promise: a dead or hung nginx is noticed within 5 s of its fault. */
  static final Duration NOTICED_WITHIN = Duration.ofSeconds(5);

  /** After it was noticed, killing what is left and starting nginx takes well under a second. */
  static final Duration ANSWERS_WITHIN = Duration.ofSeconds(10);

  @TempDir Path root;
  EdgeNode edgeNode;
  EdgeFixture edge;
  Registry registry;
  BerthNode node;
  TlsClient client;
  final List<Long> stopped = new ArrayList<>();
  final List<NginxRegistrar> others = new ArrayList<>();

  /** A node with nginx (looked at every {@code checkInterval}) serving the tools service. */
  void startNode(Duration checkInterval) throws Exception {
    edgeNode = EdgeNode.start(root, builder -> builder.proxyCheckInterval(checkInterval));
    edge = edgeNode.edge;
    registry = edgeNode.registry;
    node = edgeNode.node;
    registry
        .services()
        .apply(ApplyRequest.of("test", List.of(edge.website(SERVICE, HOSTNAME, BODY))));
    client = edge.client();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetch().contains(BODY));
    await().atMost(Duration.ofSeconds(10)).until(() -> node.proxyHealth().isPresent());
    assertThat(node.proxyHealth()).contains(ProxyHealth.SERVING);
  }

  @AfterEach
  void stop() throws Exception {
    // Nothing stays frozen, whatever the test reached.
    NginxTestEnvironment.signal("-CONT", stopped);
    try {
      for (NginxRegistrar other : others) {
        other.stop();
      }
    } finally {
      if (edgeNode != null) {
        edgeNode.close();
      }
    }
  }

  @Test
  void aKilledMasterIsReplacedThoughItsWorkersStillHoldThePort() throws Exception {
    startNode(RouteReconciler.DEFAULT_CHECK_INTERVAL);
    ProcessHandle master = master();
    List<ProcessHandle> workers = NginxTestEnvironment.settledWorkers(master);
    Instant killed = Instant.now();

    master.destroyForcibly();

    Restart restart = awaitRestart(master, killed, "is gone");
    assertThat(workers).as("the workers the dead master left").noneMatch(this::running);
    assertThat(restart.downEvent().message()).contains("of its processes are left");
  }

  @Test
  void aKilledNginxIsStartedAgain() throws Exception {
    startNode(RouteReconciler.DEFAULT_CHECK_INTERVAL);
    ProcessHandle master = master();
    Instant killed = Instant.now();

    killSession(master);

    awaitRestart(master, killed, "is gone");
  }

  @Test
  void aStoppedNginxIsReplaced() throws Exception {
    startNode(RouteReconciler.DEFAULT_CHECK_INTERVAL);
    ProcessHandle master = master();
    List<ProcessHandle> workers = NginxTestEnvironment.settledWorkers(master);
    Instant killed = Instant.now();

    signal("-STOP", session(master).stream().map(ProcessHandle::pid).toList());

    awaitRestart(master, killed, "is stopped");
    assertThat(workers).noneMatch(this::running);
  }

  @Test
  void nginxWhoseWorkersDoNotAnswerIsReplaced() throws Exception {
    startNode(RouteReconciler.DEFAULT_CHECK_INTERVAL);
    ProcessHandle master = master();
    List<ProcessHandle> workers = NginxTestEnvironment.settledWorkers(master);
    Instant killed = Instant.now();

    // The master still runs and the kernel still accepts connections; nobody takes them.
    signal("-STOP", workers.stream().map(ProcessHandle::pid).toList());

    awaitRestart(master, killed, "does not answer within");
    assertThat(workers).noneMatch(this::running);
  }

  @Test
  void whileNginxCannotBeRestartedTheRouteIsNotServedAndTheNodeSaysWhyUntilRecover()
      throws Exception {
    // No periodic look that could race the test: recover() is what makes the node look.
    startNode(Duration.ofHours(1));
    killSession(master());

    try (ServerSocket taken =
        new ServerSocket(edge.listener(), 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(taken.isBound()).as("the route's port, taken by another program").isTrue();
      node.recover();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  node.proxyHealth()
                      .map(health -> health.reason().contains("Address already in use"))
                      .orElse(false));
      ProxyHealth down = node.proxyHealth().orElseThrow();
      assertThat(down.serving()).isFalse();
      assertThat(down.reason()).contains("is gone").contains("restarting it fails");
      assertThat(node.faults()).containsExactly("proxy down: " + down.reason());
      assertThat(node.healthy()).isFalse();
      assertThat(node.routes().served(SERVICE)).isEmpty();
      assertThat(node.routes().published(SERVICE)).isNotEmpty();
      await().atMost(Duration.ofSeconds(5)).until(() -> !events("ProxyDown").isEmpty());
      await().atMost(Duration.ofSeconds(5)).until(() -> !events("RoutesFailed").isEmpty());
    }

    // The port is free again; recover retries at once, whatever the backoff.
    node.recover();

    await()
        .atMost(ANSWERS_WITHIN)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fetch().contains(BODY));
    await().atMost(Duration.ofSeconds(5)).until(() -> node.faults().isEmpty());
    assertThat(node.proxyHealth()).contains(ProxyHealth.SERVING);
    assertThat(node.routes().served(SERVICE)).isEqualTo(node.routes().published(SERVICE));
    await().atMost(Duration.ofSeconds(5)).until(() -> !events("ProxyRestarted").isEmpty());
  }

  @Test
  void anNginxWithAnotherPrefixIsNeverTouched() throws Exception {
    startNode(RouteReconciler.DEFAULT_CHECK_INTERVAL);
    Path otherRoot = Files.createDirectories(root.resolve("other"));
    NginxRegistrar other = new NginxRegistrar(NginxTestEnvironment.config(otherRoot).build());
    others.add(other);
    other.apply(Set.of());
    ProcessHandle otherMaster = masterOf(otherRoot.resolve("prefix/nginx.pid"));
    List<ProcessHandle> otherWorkers = NginxTestEnvironment.settledWorkers(otherMaster);
    ProcessHandle master = master();
    Instant killed = Instant.now();

    master.destroyForcibly();

    awaitRestart(master, killed, "is gone");
    assertThat(running(otherMaster)).as("the other nginx's master").isTrue();
    assertThat(otherWorkers).as("the other nginx's workers").allMatch(this::running);
  }

  /**
   * What a restart looked like.
   *
   * @param downEvent the ProxyDown event recorded for the service
   */
  record Restart(ServiceEvent downEvent) {}

  /**
   * Waits for the node to notice (a ProxyDown event naming {@code reason}) within 5 s of the fault,
   * and for the route to answer again from a new nginx; prints how long each took.
   */
  private Restart awaitRestart(ProcessHandle oldMaster, Instant fault, String reason) {
    await()
        .atMost(NOTICED_WITHIN)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> !events("ProxyDown").isEmpty());
    ServiceEvent down = events("ProxyDown").get(0);
    await()
        .atMost(ANSWERS_WITHIN)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> replaced(oldMaster) && fetch().contains(BODY));
    Duration answered = Duration.between(fault, Instant.now());
    Duration noticed = Duration.between(fault, down.at());
    System.out.printf(
        "nginx fault (%s): noticed after %d ms, route answers again after %d ms%n",
        reason, noticed.toMillis(), answered.toMillis());
    assertThat(noticed).isLessThanOrEqualTo(NOTICED_WITHIN);
    assertThat(down.type()).isEqualTo(ServiceEvent.Type.WARNING);
    assertThat(down.message()).contains(reason);
    await().atMost(Duration.ofSeconds(5)).until(() -> !events("ProxyRestarted").isEmpty());
    assertThat(node.proxyHealth()).contains(ProxyHealth.SERVING);
    assertThat(node.faults()).isEmpty();
    assertThat(node.routes().served(SERVICE)).isNotEmpty();
    assertThat(running(oldMaster)).as("the old master").isFalse();
    return new Restart(down);
  }

  private boolean replaced(ProcessHandle oldMaster) throws IOException {
    Optional<ProcessHandle> now = currentMaster();
    return now.isPresent() && now.get().pid() != oldMaster.pid() && running(now.get());
  }

  private List<ServiceEvent> events(String reason) {
    return registry.events().of(SERVICE).stream().filter(e -> e.reason().equals(reason)).toList();
  }

  private String fetch() {
    return edge.fetch(client, HOSTNAME);
  }

  private ProcessHandle master() throws IOException {
    return currentMaster().orElseThrow();
  }

  private Optional<ProcessHandle> currentMaster() throws IOException {
    return Optional.ofNullable(masterOf(edge.nginxConfig().pidFile()));
  }

  private static ProcessHandle masterOf(Path pidFile) throws IOException {
    String pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
    return pid.isEmpty() ? null : ProcessHandle.of(Long.parseLong(pid)).orElse(null);
  }

  private boolean running(ProcessHandle process) {
    return NginxTestEnvironment.isRunning(process);
  }

  /**
   * Kills the nginx {@code master} leads, workers included, and waits until none runs: its workers
   * are the live members of its session (nginx daemonizes with setsid), taken again until none is
   * left, since a worker the master was forking may appear after the first look.
   */
  private void killSession(ProcessHandle master) throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<ProcessHandle> members = session(master);
              members.forEach(ProcessHandle::destroyForcibly);
              return members.isEmpty();
            });
  }

  /** The running processes of the session {@code leader} leads, itself included if it runs. */
  private List<ProcessHandle> session(ProcessHandle leader) throws Exception {
    Process ps =
        new ProcessBuilder("ps", "-o", "pid=", "-s", Long.toString(leader.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(ps.getInputStream().readAllBytes());
    ps.waitFor();
    return out.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .map(pid -> ProcessHandle.of(Long.parseLong(pid)))
        .flatMap(Optional::stream)
        .filter(this::running)
        .toList();
  }

  /** Sends {@code signal} (as kill(1) names it) to {@code pids}, remembering the ones stopped. */
  private void signal(String signal, List<Long> pids) throws Exception {
    if (signal.equals("-STOP")) {
      stopped.addAll(pids);
    }
    NginxTestEnvironment.signal(signal, pids);
  }
}
