package dev.berth.examples.embedded;

import dev.berth.examples.quickstart.HelloServer;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ApplyResult;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Berth as a library inside a control plane of one's own: a registry, the process runtime and a
 * node's loops in this JVM, with no agent, socket or CLI. It declares one service (a {@link
 * HelloServer} process), waits until it runs, asks it for its greeting, deletes it, and shuts down.
 * See examples/embedded/README.md for each step.
 *
 * <pre>
 * java -cp examples/target/berth-engine-demo.jar dev.berth.examples.embedded.EmbeddedNode [DIR]
 * </pre>
 *
 * DIR holds the registry and the processes' state (default: a new temporary directory).
 */
public final class EmbeddedNode {

  /** Who declares: recorded on the service, and the scope of a pruning apply. */
  static final String SOURCE = "example:embedded-node";

  static final String SERVICE = "hello";

  static final String COMPONENT = "web";

  static final String ROUTE = "http";

  static final String GREETING = "hello from an embedded Berth";

  /** Long enough for a JVM to start on a slow machine; the example fails rather than hang. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDirectory;
  private final PrintStream out;

  public EmbeddedNode(Path dataDirectory, PrintStream out) {
    this.dataDirectory = dataDirectory;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path directory =
        args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("berth-embedded");
    String answer = new EmbeddedNode(directory, System.out).run();
    System.out.println("done: the service answered \"" + answer + "\" and is gone again");
  }

  /**
   * Runs the example from start to clean shutdown.
   *
   * @return what the service answered
   * @throws IllegalStateException if the service did not run, answer or go away in time
   */
  public String run() throws InterruptedException {
    // 1. The registry: what is declared, and what Berth observes and decides.
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory.resolve("registry")))) {
      // 2. A runtime. Processes outlive it, and its state directory is how a new one finds them.
      ProcessRuntime runtime =
          new ProcessRuntime(ProcessRuntimeConfig.of(dataDirectory.resolve("processes")));
      try {
        // 3. The node's loops over the two. Nothing runs until start().
        BerthNode node = BerthNode.builder(registry, runtime).build();
        node.start();
        try {
          return declareRunAndDelete(registry, runtime);
        } finally {
          // 7. Loops stop; workloads would keep running, which is why step 6 deleted ours.
          node.stop(Duration.ofSeconds(10));
          out.println("node stopped");
          // Only if a step above failed: leave no process of the example behind.
          workloadsOf(runtime).forEach(workload -> runtime.remove(workload.id()));
        }
      } finally {
        runtime.close();
      }
    }
  }

  private String declareRunAndDelete(Registry registry, ProcessRuntime runtime)
      throws InterruptedException {
    // 4. Declare. The registry validates and stores, and tells the node's loops what changed.
    ApplyResult applied =
        registry.services().apply(ApplyRequest.of(SOURCE, List.of(helloService())));
    applied.changes().forEach(c -> out.println("declared " + c.service() + ": " + c.kind()));

    // 5. Wait for the loops' observed status, as any reader of the registry would.
    await("service " + SERVICE + " running", () -> running(registry));
    for (ComponentStatus status : registry.status().of(SERVICE)) {
      out.println(
          status.service()
              + "/"
              + status.component()
              + ": "
              + status.state()
              + " as "
              + status.workloadId()
              + " on "
              + status.runtime()
              + ", started "
              + status.startedAt());
    }
    int port =
        registry
            .ports()
            .get(new PortKey(SERVICE, COMPONENT, ROUTE))
            .orElseThrow(() -> new IllegalStateException("no port allocated to the route"))
            .hostPort();
    String answer = ask(port);
    out.println("GET http://127.0.0.1:" + port + "/ -> " + answer);

    // 6. Delete, and wait until the runtime has no workload of the service left.
    registry.services().delete(SERVICE, null);
    await("service " + SERVICE + " removed", () -> workloadsOf(runtime).isEmpty());
    out.println("deleted " + SERVICE + ": no workload left");
    return answer;
  }

  /**
   * One process component: this JVM's own java running HelloServer from this program's class path
   * entry, so the example runs wherever it is started. Its route gets a host port from Berth,
   * passed to the process as PORT_HTTP.
   */
  static ServiceSpec helloService() {
    ComponentSpec web =
        ComponentSpec.builder(COMPONENT, RuntimeKind.PROCESS)
            .executable(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .cmd("-Xmx32m", "-cp", classPathOf(HelloServer.class), HelloServer.class.getName())
            .env("GREETING", GREETING)
            .restart(RestartPolicy.ALWAYS)
            .routes(new RouteSpec(ROUTE, 8443, RouteMode.L7, SERVICE + ".localhost"))
            .health(new HealthProbe(ProbeType.HTTP, 0, ROUTE, "/healthz"))
            .build();
    return new ServiceSpec(
        SERVICE, null, DesiredState.RUNNING, "declared by EmbeddedNode", List.of(web));
  }

  private static String classPathOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(
          "cannot tell where " + type.getName() + " was loaded from", e);
    }
  }

  private static boolean running(Registry registry) {
    List<ComponentStatus> statuses = registry.status().of(SERVICE);
    return !statuses.isEmpty() && statuses.stream().allMatch(s -> "running".equals(s.state()));
  }

  private static List<Workload> workloadsOf(ProcessRuntime runtime) {
    return runtime.list().stream().filter(w -> SERVICE.equals(w.service())).toList();
  }

  /** The greeting; asked again while the new JVM is still opening its port. */
  private static String ask(int port) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    String[] answer = new String[1];
    await(
        "an answer on port " + port,
        () -> {
          try {
            HttpResponse<String> response =
                client.send(request, HttpResponse.BodyHandlers.ofString());
            answer[0] = response.body().strip();
            return response.statusCode() == 200;
          } catch (IOException notYet) {
            return false;
          }
        });
    return answer[0];
  }

  /** A condition to wait for. */
  @FunctionalInterface
  private interface Check {
    boolean holds() throws InterruptedException;
  }

  /**
   * Checks {@code condition} every 100 ms until it holds. Status lives in the registry, which has
   * no listeners; a control plane would poll its own API in the same way.
   */
  private static void await(String what, Check condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out after " + TIMEOUT + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
