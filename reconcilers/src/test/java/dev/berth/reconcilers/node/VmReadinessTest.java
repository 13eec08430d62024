package dev.berth.reconcilers.node;

import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.reconcilers.service.ServicePlanner;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM runs as soon as its QEMU does, seconds before its guest serves: with a declared probe it is
 * Ready (what {@code apply --wait} waits for) only once the probe answers. The runtime is the fake;
 * the probe is real, against a port of this test.
 */
class VmReadinessTest {

  private static final String IMAGE = "localhost/vm:1.0";
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir Path data;
  private Registry registry;
  private StandardProber prober;
  private BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(data));
    prober = new StandardProber();
    node =
        BerthNode.builder(registry, new FakeRuntime().addImage(IMAGE))
            .relistPeriod(Duration.ofMillis(200))
            .statusFlushInterval(Duration.ofMillis(20))
            .readinessProber(prober)
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    node.stop(Duration.ofSeconds(5));
    prober.close();
    registry.close();
  }

  @Test
  void aRunningVmIsReadyOnlyOnceItsDeclaredProbeAnswers() throws IOException {
    int port = freePort();
    ComponentSpec vm =
        ComponentSpec.container("guest", IMAGE).toBuilder()
            .runtime(RuntimeKind.UNIKERNEL)
            .memoryMb(64)
            .restart(RestartPolicy.ALWAYS)
            .health(new HealthProbe(ProbeType.TCP, port, null, null))
            .build();
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(new ServiceSpec("edge", null, DesiredState.RUNNING, null, List.of(vm)))));

    await()
        .atMost(SOON)
        .until(
            () -> ready().map(Condition::reason),
            reason -> reason.equals(Optional.of(ServicePlanner.PROBE_FAILING)));
    await().atMost(SOON).until(this::state, "running"::equals);

    try (ServerSocket guestServes = new ServerSocket()) {
      guestServes.bind(new InetSocketAddress("127.0.0.1", port));

      await()
          .atMost(SOON)
          .until(
              () -> ready().map(c -> c.status() + " " + c.reason()),
              found -> found.equals(Optional.of(Condition.Status.TRUE + " Running")));
    }
  }

  private Optional<Condition> ready() {
    return registry.status().conditions("edge").stream()
        .filter(c -> c.component().equals("guest") && c.type().equals("Ready"))
        .findFirst();
  }

  private String state() {
    return registry.status().of("edge").stream().map(ComponentStatus::state).findFirst().orElse("");
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return probe.getLocalPort();
    }
  }
}
