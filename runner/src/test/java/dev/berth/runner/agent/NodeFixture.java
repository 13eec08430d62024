package dev.berth.runner.agent;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.AgentConfigLoader;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node as the agent makes it: a configuration file, its assembly, a registry in its data
 * directory, and the node built from them. Closing removes every workload it ran.
 */
final class NodeFixture implements AutoCloseable {

  final Path root;
  final AgentConfig config;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final NodeAssembly assembly;
  final Registry registry;
  final BerthNode node;
  private boolean agentStopped;

  private NodeFixture(Path root, AgentConfig config) {
    this.root = root;
    this.config = config;
    this.assembly = NodeAssembly.assemble(config, meters);
    this.registry = Registry.open(config.registry());
    this.node = assembly.build(registry);
  }

  /** Writes {@code toml} (after a process-only, quick-relisting preamble) and assembles it. */
  static NodeFixture start(Path root, String toml) throws Exception {
    String preamble =
        "data_dir = \"data\"\n"
            + "[runtimes]\nenabled = [\"process\"]\n"
            + "[reconcile]\nrelist_period = \"1s\"\n";
    Files.writeString(root.resolve("berth.toml"), preamble + toml);
    return restart(root);
  }

  /** Assembles and starts a node from the configuration file already in {@code root}. */
  static NodeFixture restart(Path root) {
    NodeFixture fixture =
        new NodeFixture(root, AgentConfigLoader.load(Path.of("berth.toml"), root));
    fixture.node.start();
    return fixture;
  }

  void apply(ServiceSpec service) {
    registry.services().apply(ApplyRequest.of("test", List.of(service)));
  }

  /**
   * A service whose process serves {@code body} over HTTP on its route's host port; a null {@code
   * hostname} leaves the route without one.
   */
  ServiceSpec website(String name, int listener, String hostname, String body) throws Exception {
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

  /** A service of one process that sleeps. */
  static ServiceSpec sleeper(String name) {
    ComponentSpec main =
        ComponentSpec.builder("main", RuntimeKind.PROCESS)
            .executable("/bin/sleep")
            .cmd("600")
            .restart(RestartPolicy.ALWAYS)
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(main));
  }

  List<Workload> workloadsOf(String service) {
    return assembly.runtime().list().stream().filter(w -> service.equals(w.service())).toList();
  }

  /**
   * Stops as the agent does when it exits: the loops, then the assembly, then the registry.
   * Workloads (and nginx, unless configured otherwise) keep running.
   */
  void stopAgent() {
    if (agentStopped) {
      return;
    }
    agentStopped = true;
    try {
      node.stop(Duration.ofSeconds(10));
    } finally {
      assembly.close();
      registry.close();
    }
  }

  /** Stops the agent and removes every process it ran, through a runtime that adopts them. */
  @Override
  public void close() {
    stopAgent();
    try (ProcessRuntime runtime =
        new ProcessRuntime(ProcessRuntimeConfig.of(config.dataDir().resolve("process")))) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
    }
  }
}
