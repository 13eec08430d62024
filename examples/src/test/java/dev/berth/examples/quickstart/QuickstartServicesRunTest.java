package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.ServiceFiles;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's services, as they are in their files, run by Berth's loops on the real process
 * runtime: what the agent does with them after run.sh applies them, minus the agent.
 */
class QuickstartServicesRunTest {

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
    node.stop(Duration.ofSeconds(10));
    for (Workload workload : runtime.list()) {
      runtime.remove(workload.id());
    }
    runtime.close();
    registry.close();
  }

  /**
   * What run.sh gives the agent, and the agent its processes: this JVM's java first in PATH, and
   * HelloServer's classes as CLASSPATH. Here the test cannot change its own environment, so each
   * component gets them in its spec.
   */
  static ServiceSpec withAgentEnvironment(ServiceSpec spec) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    String classes =
        Path.of(HelloServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    List<ComponentSpec> components =
        spec.components().stream()
            .map(
                c ->
                    c.toBuilder()
                        .env("PATH", javaBin + File.pathSeparator + System.getenv("PATH"))
                        .env("CLASSPATH", classes)
                        .build())
            .toList();
    return spec.withComponents(components);
  }

  boolean allRunning(String service) {
    List<ComponentStatus> statuses = registry.status().of(service);
    return !statuses.isEmpty() && statuses.stream().allMatch(s -> "running".equals(s.state()));
  }

  String get(String service, String component) throws Exception {
    int port =
        registry.ports().get(new PortKey(service, component, "http")).orElseThrow().hostPort();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  String logs(String service, String component) {
    Workload workload =
        runtime.list().stream()
            .filter(w -> service.equals(w.service()) && component.equals(w.component()))
            .findFirst()
            .orElseThrow();
    try (var lines = runtime.logs(workload.id(), 100, false)) {
      return lines.collect(Collectors.joining("\n"));
    }
  }

  @Test
  void theQuickstartsServicesRunAnswerOnTheirAllocatedPortsAndGoAwayWhenDeleted() throws Exception {
    List<ServiceSpec> specs = new java.util.ArrayList<>();
    for (ServiceSpec spec :
        ServiceFiles.load(QuickstartServicesTest.QUICKSTART, ValidationPolicy.STRICT).specs()) {
      specs.add(withAgentEnvironment(spec));
    }
    registry.services().apply(ApplyRequest.of("file:quickstart/services", specs));
    node.recover();

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> allRunning("hello") && allRunning("greeter"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("hello", "web")).isEqualTo("hello from a Berth quickstart service\n");
              assertThat(get("greeter", "web")).isEqualTo("greetings from the greeter\n");
            });
    assertThat(logs("hello", "web")).contains(" GET / 200 from 127.0.0.1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> logs("greeter", "worker").contains("greeter worker: tick 1 at "));

    registry.services().delete("hello", null);
    registry.services().delete("greeter", null);
    node.recover();
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.list().isEmpty());
  }
}
