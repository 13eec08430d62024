package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetAddress;
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
 * gRPC health probes come from the optional berth-probe-grpc module. A node embedded without it
 * (its default prober) must not pass a declared gRPC probe, nor drop it: the component is never
 * Ready and its condition names the module that would probe it.
 */
class GrpcProbeWithoutProberTest {

  private static final String IMAGE = "localhost/vm:1.0";
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir Path data;
  private Registry registry;
  private BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(data));
    node =
        BerthNode.builder(registry, new FakeRuntime().addImage(IMAGE))
            .relistPeriod(Duration.ofMillis(200))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    node.stop(Duration.ofSeconds(5));
    registry.close();
  }

  @Test
  void aDeclaredGrpcProbeFailsNamingTheModuleWhenTheNodeHasNoGrpcProber() throws IOException {
    // Something listens on the probed port: a prober that only connected would pass.
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ComponentSpec vm =
          ComponentSpec.container("guest", IMAGE).toBuilder()
              .runtime(RuntimeKind.UNIKERNEL)
              .memoryMb(64)
              .restart(RestartPolicy.ALWAYS)
              .health(new HealthProbe(ProbeType.GRPC, listening.getLocalPort(), null, null))
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

      Condition ready = ready().orElseThrow();
      assertThat(ready.status()).isEqualTo(Condition.Status.FALSE);
      assertThat(ready.message()).contains("add the berth-probe-grpc module");
    }
  }

  private Optional<Condition> ready() {
    return registry.status().conditions("edge").stream()
        .filter(c -> c.component().equals("guest") && c.type().equals("Ready"))
        .findFirst();
  }
}
