package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.workload.WorkloadNames;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.runtime.podman.PodmanTestEnvironment;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What status tells of a real podman's refusals, through the node's loops. */
class PodmanStatusTest {

  /** Marks the test's own unlabelled container, so that it is removed whatever happens. */
  static final String STRANGER_LABEL = "berth.test.stranger";

  @TempDir Path root;
  PodmanTestEnvironment podman;
  PodmanRuntime runtime;
  Registry registry;
  BerthNode node;
  String run;

  @BeforeEach
  void start() throws Exception {
    podman = PodmanTestEnvironment.start();
    runtime = new PodmanRuntime(podman.config());
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    run = UUID.randomUUID().toString().substring(0, 6);
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            // Quick retries, so that the test sees the service recover once the name is free.
            .retryBackoff(Duration.ofMillis(5), Duration.ofSeconds(1))
            .build();
    node.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.stop(Duration.ofSeconds(20));
    }
    if (podman != null) {
      podman.host().removeContainersLabelled(STRANGER_LABEL, run);
      podman.host().removeContainersLabelled(Labels.SERVICE, "clash-" + run);
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

  ComponentStatus status(String service) {
    return registry.status().of(service).stream().findFirst().orElse(null);
  }

  @Test
  void aNameHeldByAContainerBerthDoesNotOwnIsNameInUseUntilAnOperatorFreesIt() {
    String service = "clash-" + run;
    Workload stranger =
        runtime.run(
            WorkloadSpec.builder(WorkloadNames.of(service, "web"), WorkloadKind.CONTAINER)
                .image(podman.image())
                .args("sleep", "300")
                .label(STRANGER_LABEL, run)
                .init(true)
                .build());
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    new ServiceSpec(
                        service,
                        null,
                        DesiredState.RUNNING,
                        null,
                        List.of(
                            ComponentSpec.container("web", podman.image()).toBuilder()
                                .cmd("sleep", "300")
                                .build())))));

    ComponentStatus refused =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(service), s -> s != null && s.state().equals("NameInUse"));
    assertThat(refused.message())
        .contains(stranger.id().substring(0, 12))
        .contains("Berth does not own")
        .contains("already in use");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.status().conditions(service))
                    .filteredOn(c -> c.type().equals("Ready"))
                    .singleElement()
                    .satisfies(
                        ready -> {
                          assertThat(ready.status()).isEqualTo(Condition.Status.FALSE);
                          assertThat(ready.reason()).isEqualTo("NameInUse");
                        }));
    assertThat(runtime.inspect(stranger.id()).orElseThrow().running())
        .as("Berth never touches what it does not own")
        .isTrue();

    runtime.remove(stranger.id());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(service), s -> s != null && s.state().equals("running"));
  }
}
