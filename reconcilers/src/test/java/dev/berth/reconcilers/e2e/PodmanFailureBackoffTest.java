package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.runtime.podman.PodmanTestEnvironment;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container whose host port is taken fails to run, again and again, on a real podman. Each failed
 * {@code podman run} leaves events behind (the container it created and removed), and those used to
 * have the service reconciled, and run, at once: a warning every fraction of a second for ever. Now
 * the run waits out its backoff, and its warnings are one event that counts them.
 */
class PodmanFailureBackoffTest {

  /** The first retry; then 2x, 4x... Long enough that a retry by an event would show. */
  static final Duration RETRY_BASE = Duration.ofSeconds(2);

  @TempDir Path root;
  PodmanTestEnvironment podman;
  PodmanRuntime runtime;
  Registry registry;
  BerthNode node;
  ServerSocket taken;
  String service;

  @BeforeEach
  void start() throws Exception {
    podman = PodmanTestEnvironment.start();
    runtime = new PodmanRuntime(podman.config());
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    service = "taken-" + UUID.randomUUID().toString().substring(0, 6);
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .retryBackoff(RETRY_BASE, Duration.ofMinutes(1))
            .build();
    node.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.stop(Duration.ofSeconds(20));
    }
    if (podman != null) {
      podman.host().removeContainersLabelled(Labels.SERVICE, service);
    }
    if (taken != null) {
      taken.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (podman != null) {
      podman.close();
    }
  }

  List<ServiceEvent> failures() {
    return registry.events().of(service).stream()
        .filter(e -> e.type() == ServiceEvent.Type.WARNING)
        .toList();
  }

  @Test
  void aRunThatKeepsFailingBacksOffAndIsOneEventWithACount() {
    ComponentSpec web =
        ComponentSpec.container("web", podman.image()).toBuilder()
            .cmd("httpd", "-f", "-p", "8080", "-h", "/www")
            .ports(new PortMapping("127.0.0.1", taken.getLocalPort(), 8080))
            .build();
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(new ServiceSpec(service, null, DesiredState.RUNNING, null, List.of(web)))));

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> failures().stream().anyMatch(e -> e.count() >= 3));

    ServiceEvent failed = failures().get(0);
    assertThat(failures()).as("one event for the repeated failure").containsExactly(failed);
    assertThat(failed.reason()).isEqualTo("Failed");
    assertThat(failed.message()).contains("create " + service + "_web");
    // Three tries: the first, one after the base delay, one after twice that.
    assertThat(Duration.between(failed.at(), failed.lastSeen()))
        .as("tries 1 to " + failed.count() + " were backed off")
        .isGreaterThanOrEqualTo(RETRY_BASE.multipliedBy(3).minusMillis(500));
  }
}
