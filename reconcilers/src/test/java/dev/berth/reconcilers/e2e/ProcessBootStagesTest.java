package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot stages of real processes with a tcp probe: the database takes a while before it listens, so
 * the stage waiting for it fails its check again and again; the app of the next stage must start
 * right after the database listens, not at some later recheck. Each process writes the moment (date
 * +%s%N) that matters: the database just before it starts listening, the app when it starts.
 */
class ProcessBootStagesTest {

  /**
   * Long enough for many failed checks (a backoff of 1 s doubling, as before, checked at about 1, 3
   * and 7 s, and found the database up only at 15 s).
   */
  static final Duration DB_WARM_UP = Duration.ofSeconds(8);

  @TempDir Path root;
  Registry registry;
  ProcessRuntime runtime;
  StandardProber prober;
  BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
    prober = new StandardProber();
    node =
        BerthNode.builder(registry, runtime)
            .stages(
                List.of(
                    new BootStage(
                        "data", List.of("db"), Duration.ofMinutes(2), ProbeType.TCP, true),
                    new BootStage("apps", List.of("app"), Duration.ofMinutes(2), null, true)),
                prober)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.stop(Duration.ofSeconds(10));
    }
    if (runtime != null) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
      runtime.close();
    }
    if (prober != null) {
      prober.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  static ServiceSpec process(String name, String script, RouteSpec... routes) {
    ComponentSpec main =
        ComponentSpec.builder("main", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            .cmd("-c", script)
            .routes(routes)
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(main));
  }

  /** A shell command that writes the time now to {@code name}, whole or not at all. */
  String stampNow(String name) {
    Path file = root.resolve(name);
    return "date +%s%N > " + file + ".tmp && mv " + file + ".tmp " + file;
  }

  long stamp(String name) throws Exception {
    return Long.parseLong(Files.readString(root.resolve(name)).strip());
  }

  @Test
  void theNextStageStartsWithinASecondOfTheStageBeforeListening() throws Exception {
    Path site = Files.createDirectories(root.resolve("site"));
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    process(
                        "db",
                        "sleep "
                            + DB_WARM_UP.toSeconds()
                            + "; "
                            + stampNow("db-listens")
                            + "; exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h "
                            + site,
                        new RouteSpec("sql", 8443, RouteMode.L4, "db.berth.test")),
                    process("app", stampNow("app-starts") + "; exec sleep 600"))));
    node.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(root.resolve("app-starts")));

    Duration gap = Duration.ofNanos(stamp("app-starts") - stamp("db-listens"));
    System.out.println("the app started " + gap.toMillis() + " ms after the database listened");
    assertThat(gap).isPositive().isLessThan(Duration.ofSeconds(1));
  }
}
