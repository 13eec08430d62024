package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host process that hangs, still running but no longer answering its http probe, is restarted by
 * its liveness probe, through the node's loops, and the event says why; a readiness probe alone
 * leaves it running, not Ready.
 */
class ProcessLivenessTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  /** Short timing, so that the test takes seconds: a failure counts once every 300 ms. */
  static final Duration PERIOD = Duration.ofMillis(300);

  static final Duration TIMEOUT = Duration.ofMillis(200);

  @TempDir Path root;
  Registry registry;
  ProcessRuntime runtime;
  BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop(Duration.ofSeconds(10));
    }
    if (runtime != null) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
    // Whatever a failed test left running: every test process names the test's directory.
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(root.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * A shell that serves HTTP on {@code port} for {@code serving}, then stops its server and sleeps
   * on: the process runs, nothing answers. Its command line names the test's directory.
   */
  ServiceSpec hangsAfter(String name, int port, Duration serving, boolean liveness)
      throws IOException {
    Path site = Files.createDirectories(root.resolve(name));
    Files.writeString(site.resolve("index.html"), "up\n");
    String script =
        "/bin/busybox httpd -f -p 127.0.0.1:"
            + port
            + " -h "
            + site
            + " & sleep "
            + serving.toMillis() / 1000.0
            + "; kill $!; exec /bin/busybox tail -f "
            + site.resolve("index.html");
    ComponentSpec web =
        ComponentSpec.builder("web", RuntimeKind.PROCESS)
            .executable("/bin/busybox")
            .cmd("sh", "-c", script)
            .restart(RestartPolicy.ALWAYS)
            .health(
                new HealthProbe(ProbeType.HTTP, port, null, "/index.html")
                    .withLiveness(liveness)
                    .withTiming(PERIOD, TIMEOUT, 2, Duration.ZERO))
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(web));
  }

  void apply(ServiceSpec spec) {
    registry.services().apply(ApplyRequest.of("test", List.of(spec)));
  }

  Optional<Condition> ready(String service) {
    return registry.status().conditions(service).stream()
        .filter(c -> c.type().equals("Ready"))
        .findFirst();
  }

  List<ServiceEvent> events(String service, String reason) {
    return registry.events().of(service).stream().filter(e -> e.reason().equals(reason)).toList();
  }

  long pidOf(String service) {
    String marker = "tail -f " + root.resolve(service);
    return await()
        .atMost(WAIT)
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow()
        .pid();
  }

  @Test
  void aProcessThatStopsAnsweringItsLivenessProbeIsRestartedAndTheEventSaysWhy() throws Exception {
    int port = freePort();
    apply(hangsAfter("hangs", port, Duration.ofSeconds(2), true));

    await()
        .atMost(WAIT)
        .until(
            () -> ready("hangs").map(Condition::status),
            Optional.of(Condition.Status.TRUE)::equals);
    long hung = pidOf("hangs");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> !answers(port));
    long hungAt = System.nanoTime();

    ServiceEvent failed =
        await()
            .atMost(WAIT)
            .until(() -> events("hangs", "LivenessFailed"), e -> !e.isEmpty())
            .get(0);
    System.out.println(
        "liveness restart "
            + Duration.ofNanos(System.nanoTime() - hungAt).toMillis()
            + " ms after the server stopped answering");
    assertThat(failed.type()).isEqualTo(ServiceEvent.Type.WARNING);
    assertThat(failed.component()).isEqualTo("web");
    assertThat(failed.message())
        .isEqualTo(
            "its http probe on port "
                + port
                + " /index.html failed 2 times in a row: connection refused; restarting");

    // The same workload runs again, a new process, counted as a restart; it answers again.
    await().atMost(WAIT).until(() -> pidOf("hangs") != hung);
    assertThat(ProcessHandle.of(hung).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("hangs", "Restarted"))
                    .extracting(ServiceEvent::message)
                    .first()
                    .asString()
                    .contains("again as its restart policy says: restart 1"));
    // The stop is told once, by LivenessFailed: not again as a kill by a signal.
    assertThat(events("hangs", "Killed")).isEmpty();
  }

  @Test
  void aProcessThatStopsAnsweringAReadinessProbeRunsOnNotReady() throws Exception {
    int port = freePort();
    apply(hangsAfter("idle", port, Duration.ofMillis(1500), false));
    await()
        .atMost(WAIT)
        .until(
            () -> ready("idle").map(Condition::status), Optional.of(Condition.Status.TRUE)::equals);
    long pid = pidOf("idle");

    Condition notReady =
        await()
            .atMost(WAIT)
            .until(
                () -> ready("idle"),
                r -> r.isPresent() && r.get().status() == Condition.Status.FALSE)
            .orElseThrow();
    assertThat(notReady.reason()).isEqualTo("ProbeFailing");
    assertThat(notReady.message())
        .isEqualTo("its http probe on port " + port + " /index.html fails: connection refused");

    Thread.sleep(PERIOD.multipliedBy(5).toMillis()); // past any failure threshold
    assertThat(pidOf("idle")).isEqualTo(pid);
    assertThat(events("idle", "LivenessFailed")).isEmpty();
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return probe.getLocalPort();
    }
  }
}
