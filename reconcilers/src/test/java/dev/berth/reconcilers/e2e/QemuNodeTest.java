package dev.berth.reconcilers.e2e;

import static dev.berth.runtime.qemu.QemuTestEnvironment.ENV;
import static dev.berth.runtime.qemu.QemuTestEnvironment.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.podman.PodmanTestEnvironment;
import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.runtime.qemu.QemuRuntime;
import dev.berth.runtime.qemu.QemuTestEnvironment;
import dev.berth.runtime.qemu.VmOciImages;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real VM from an OCI image, through the node's loops: QEMU (TCG) boots the image podman holds,
 * and the guest's init sees its route's port in its environment. Then the node restarts after QEMU
 * and the cache of image contents are gone, as after a reboot that took a tmpfs with it: the VM
 * comes back from the image still in podman's store (no registry is reachable).
 */
class QemuNodeTest {

  private static final Duration BOOT = Duration.ofSeconds(120);

  @TempDir Path root;
  private Path stateRoot;
  private PodmanTestEnvironment podman;
  private VmOciImages images;
  private Registry registry;
  private QemuRuntime runtime;
  private BerthNode node;

  @BeforeEach
  void start() throws IOException {
    stateRoot = root.resolve("qemu"); // first: stop() runs even when the test is skipped
    podman = PodmanTestEnvironment.start();
    images = new VmOciImages(podman.host(), root);
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      stopNode();
      QemuTestEnvironment.killLeftovers(stateRoot);
      if (registry != null) {
        registry.close();
      }
      if (images != null) {
        images.close();
      }
    } finally {
      if (podman != null) {
        podman.close();
      }
    }
  }

  @Test
  void aVmFromAnImageReferenceLearnsItsPortAndComesBackAfterQemuAndTheCacheAreLost()
      throws IOException {
    Path guest = QemuTestEnvironment.guestImage(root);
    String image = images.guest("guest", guest);
    Files.delete(guest.resolve("kernel")); // a link JUnit would follow out of @TempDir
    ComponentSpec vm =
        ComponentSpec.container("guest", image).toBuilder()
            .runtime(RuntimeKind.UNIKERNEL)
            .memoryMb(192)
            .cmd("console=ttyS0", "quiet", "panic=-1")
            .env(Map.of("GREETING", "hello from the host"))
            .routes(new RouteSpec("web", 8443, RouteMode.L4, "guest.berth.test"))
            .restart(RestartPolicy.ALWAYS)
            .build();
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(new ServiceSpec("edge", null, DesiredState.RUNNING, null, List.of(vm)))));
    startNode();

    await().atMost(BOOT).until(() -> readyLines() == 1);
    int port = registry.ports().get(new PortKey("edge", "guest", "web")).orElseThrow().hostPort();
    List<String> console = console().toList();
    assertThat(console)
        .contains(
            ENV + "PORT_WEB=" + port, ENV + "PORT=" + port, ENV + "GREETING=hello from the host");
    Path cache = stateRoot.resolve("images");
    assertThat(cache).isNotEmptyDirectory();

    // A reboot: the agent and QEMU end, and the image cache goes with them.
    String id = vmWorkload().orElseThrow().id();
    stopNode();
    QemuTestEnvironment.killLeftovers(stateRoot);
    deleteRecursively(cache);
    startNode();

    await().atMost(BOOT).until(() -> readyLines() == 2);
    assertThat(vmWorkload().map(Workload::id)).contains(id);
    assertThat(cache).isNotEmptyDirectory();
  }

  private void startNode() {
    runtime = new QemuRuntime(QemuConfig.builder(stateRoot).podman(podman.config()).build());
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(50))
            .build();
    node.start();
  }

  private void stopNode() {
    if (node != null) {
      node.stop(Duration.ofSeconds(20));
      node = null;
    }
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }

  private Optional<Workload> vmWorkload() {
    return runtime.list().stream().filter(w -> "edge".equals(w.service())).findFirst();
  }

  /** How often the guest said it was up: once per boot (the console log appends). */
  private long readyLines() {
    String ready = READY + " acpi=no";
    return console().filter(ready::equals).count();
  }

  /** The guest's console so far; empty until the VM exists. */
  private Stream<String> console() {
    return vmWorkload().map(w -> runtime.logs(w.id(), -1, false)).orElse(Stream.empty());
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
