package dev.berth.reconcilers.e2e;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A started node behind the real edge ({@link EdgeFixture}): services as host processes, a registry
 * on disk, the runtimes listed every second and status written every 20 ms. Closing stops the node,
 * removes every workload it ran, and stops nginx.
 *
 * <p>Public for the tests of the modules beside reconcilers (through its test-jar).
 */
public final class EdgeNode implements AutoCloseable {

  public final EdgeFixture edge;
  public final Registry registry;
  public final ProcessRuntime runtime;
  public final BerthNode node;

  private EdgeNode(EdgeFixture edge, Registry registry, ProcessRuntime runtime, BerthNode node) {
    this.edge = edge;
    this.registry = registry;
    this.runtime = runtime;
    this.node = node;
  }

  /**
   * The local CA alone; everything under {@code root}; {@code options} adds to the node's settings.
   */
  public static EdgeNode start(Path root, UnaryOperator<BerthNode.Builder> options)
      throws Exception {
    return start(root, null, options);
  }

  /** As above, with a public CA for public names, started by {@code publicCa}. */
  public static EdgeNode start(
      Path root, EdgeFixture.PublicCaStarter publicCa, UnaryOperator<BerthNode.Builder> options)
      throws Exception {
    EdgeFixture edge = EdgeFixture.start(root, publicCa);
    Registry registry = null;
    ProcessRuntime runtime = null;
    try {
      registry = Registry.open(RegistryConfig.at(root.resolve("data")));
      runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
      BerthNode node =
          options
              .apply(
                  edge.wire(BerthNode.builder(registry, runtime), registry)
                      .relistPeriod(Duration.ofSeconds(1))
                      .statusFlushInterval(Duration.ofMillis(20)))
              .build();
      node.start();
      return new EdgeNode(edge, registry, runtime, node);
    } catch (Exception | Error e) {
      close(edge, registry, runtime, null);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    close(edge, registry, runtime, node);
  }

  private static void close(
      EdgeFixture edge, Registry registry, ProcessRuntime runtime, BerthNode node)
      throws IOException {
    try {
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
    } finally {
      edge.close();
    }
  }
}
