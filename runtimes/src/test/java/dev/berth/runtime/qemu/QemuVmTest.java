package dev.berth.runtime.qemu;

import static dev.berth.runtime.qemu.QemuTestEnvironment.HONOUR_ACPI;
import static dev.berth.runtime.qemu.QemuTestEnvironment.POWERING_OFF;
import static dev.berth.runtime.qemu.QemuTestEnvironment.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.qemu.QemuRuntime.Shutdown;
import dev.berth.spec.identity.Labels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real VMs: a Debian kernel and a busybox initramfs booted by QEMU (TCG), about 5 to 10 seconds a
 * boot. What needs the machine is in {@link QemuTestEnvironment}.
 */
class QemuVmTest {

  /** A boot under TCG takes seconds; a loaded CI machine may take many more. */
  private static final Duration BOOT = Duration.ofSeconds(90);

  /** Events are delivered from the runtime's thread; exits are polled twice a second. */
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir Path temporary;

  private Path image;
  private Path stateRoot;
  private final List<QemuRuntime> runtimes = new ArrayList<>();

  @BeforeEach
  void prepare() {
    stateRoot = temporary.resolve("state"); // first: cleanUp runs even when the test is skipped
    image = QemuTestEnvironment.guestImage(temporary);
  }

  @AfterEach
  void cleanUp() throws IOException {
    runtimes.forEach(QemuRuntime::close);
    QemuTestEnvironment.killLeftovers(stateRoot);
    if (image != null) {
      // A link to the cached kernel: JUnit would warn about it leaving the temporary directory.
      Files.deleteIfExists(image.resolve(VmImage.KERNEL_FILE));
    }
  }

  @Test
  void aGuestThatHonoursAcpiBootsIsAdoptedByANewRuntimeAndPowersOffOnStop() throws IOException {
    QemuRuntime first = open();
    List<RuntimeEvent> firstEvents = events(first);
    int hostPort = freePort();
    Workload started =
        first.run(
            guest("console=ttyS0", "quiet", "panic=-1", HONOUR_ACPI)
                .ports(new PortBinding("web", null, hostPort, 80))
                .memoryMb(192)
                .vcpus(2)
                .label(Labels.SERVICE, "shop")
                .label(Labels.COMPONENT, "edge")
                .build());
    String id = started.id();

    assertThat(id).matches("vm-[0-9a-f]{12}");
    assertThat(started.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(started.kind()).isEqualTo(WorkloadKind.UNIKERNEL);
    assertThat(started.image()).isEqualTo(image.toString());
    assertThat(started.ports()).containsExactly(new PortBinding("web", "127.0.0.1", hostPort, 80));
    assertThat(started.service()).isEqualTo("shop");
    awaitConsole(first, id, READY + " acpi=yes");
    await().atMost(SOON).until(() -> types(firstEvents).contains(RuntimeEvent.Type.STARTED));

    ProcessIdentity qemu = recordOf(id).process();
    assertThat(qemu.find().flatMap(process -> process.info().arguments()).orElseThrow())
        .containsSequence("-m", "192")
        .containsSequence("-smp", "2")
        .containsSequence("-append", "console=ttyS0 quiet panic=-1 " + HONOUR_ACPI);
    try (Socket forwarded = new Socket()) {
      forwarded.connect(new InetSocketAddress("127.0.0.1", hostPort), 5_000);
    }

    // The agent restarts: the VM keeps running, and the new runtime finds it by its state file.
    first.close();
    QemuRuntime second = open();
    List<RuntimeEvent> secondEvents = events(second);
    assertThat(second.inspect(id)).contains(started);
    assertThat(second.list()).extracting(Workload::id).containsExactly(id);
    assertThat(second.logs(id, 100, false)).anyMatch(line -> line.startsWith(READY));

    assertThat(second.shutDown(id, Duration.ofSeconds(60))).isEqualTo(Shutdown.POWERED_DOWN);

    assertThat(second.logs(id, 100, false)).contains(POWERING_OFF);
    assertThat(qemu.alive()).isFalse();
    assertThat(second.inspect(id).map(Workload::state)).contains(WorkloadState.EXITED);
    await().atMost(SOON).until(() -> types(secondEvents).contains(RuntimeEvent.Type.DIED));
    assertThat(secondEvents)
        .filteredOn(event -> event.type() == RuntimeEvent.Type.DIED)
        .singleElement()
        .satisfies(died -> assertThat(died.labels()).containsEntry(Labels.SERVICE, "shop"));

    second.remove(id);

    await().atMost(SOON).until(() -> types(secondEvents).contains(RuntimeEvent.Type.REMOVED));
    assertThat(second.inspect(id)).isEmpty();
    assertThat(stateRoot.resolve(id)).doesNotExist();
    assertThatThrownBy(() -> second.logs(id, 10, false))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
  }

  @Test
  void aGuestThatIgnoresAcpiIsQuitAfterTheTimeoutAndBootsAgainOnStart() {
    QemuRuntime runtime = open();
    List<RuntimeEvent> events = events(runtime);
    String id = runtime.run(guest("console=ttyS0", "quiet", "panic=-1").build()).id();
    awaitConsole(runtime, id, READY + " acpi=no");

    assertThat(runtime.shutDown(id, Duration.ofSeconds(3))).isEqualTo(Shutdown.QUIT);

    assertThat(runtime.inspect(id).map(Workload::state)).contains(WorkloadState.EXITED);
    assertThat(runtime.logs(id, -1, false)).doesNotContain(POWERING_OFF);
    await().atMost(SOON).until(() -> types(events).contains(RuntimeEvent.Type.DIED));
    assertThat(runtime.shutDown(id, Duration.ofSeconds(3))).isEqualTo(Shutdown.NOT_RUNNING);

    runtime.start(id);

    assertThat(runtime.inspect(id).map(Workload::state)).contains(WorkloadState.RUNNING);
    await()
        .atMost(BOOT)
        .until(
            () -> runtime.logs(id, -1, false).filter(line -> line.startsWith(READY)).count() == 2);

    runtime.remove(id);

    await()
        .atMost(SOON)
        .until(
            () ->
                types(events)
                    .equals(
                        List.of(
                            RuntimeEvent.Type.STARTED,
                            RuntimeEvent.Type.DIED,
                            RuntimeEvent.Type.STARTED,
                            RuntimeEvent.Type.DIED,
                            RuntimeEvent.Type.REMOVED)));
    assertThat(stateRoot.resolve(id)).doesNotExist();
  }

  @Test
  void aQemuThatNoLongerAnswersIsKilled() throws Exception {
    QemuRuntime runtime = open();
    String id = runtime.run(guest("console=ttyS0", "quiet", "panic=-1").build()).id();
    ProcessIdentity qemu = recordOf(id).process();
    QemuTestEnvironment.signal(qemu.pid(), "STOP"); // frozen: QMP accepts, never answers

    assertThat(runtime.shutDown(id, Duration.ofSeconds(1))).isEqualTo(Shutdown.KILLED);

    assertThat(qemu.alive()).isFalse();
    assertThat(runtime.inspect(id).map(Workload::state)).contains(WorkloadState.EXITED);
  }

  @Test
  void aQemuThatEndsOnItsOwnIsSeenToDie() {
    QemuRuntime runtime = open();
    List<RuntimeEvent> events = events(runtime);
    String id = runtime.run(guest("console=ttyS0", "quiet", "panic=-1").build()).id();
    ProcessIdentity qemu = recordOf(id).process();

    qemu.find().orElseThrow().destroyForcibly(); // not through the runtime: a crash, say

    await()
        .atMost(SOON)
        .until(
            () -> types(events).equals(List.of(RuntimeEvent.Type.STARTED, RuntimeEvent.Type.DIED)));
    assertThat(runtime.inspect(id).map(Workload::state)).contains(WorkloadState.EXITED);
    assertThat(recordOf(id).exitedAt()).isNotNull();
  }

  private QemuRuntime open() {
    QemuRuntime runtime = new QemuRuntime(QemuConfig.of(stateRoot));
    runtimes.add(runtime);
    return runtime;
  }

  private WorkloadSpec.Builder guest(String... kernelArgs) {
    return WorkloadSpec.builder("guest", WorkloadKind.UNIKERNEL)
        .image(image.toString())
        .args(kernelArgs);
  }

  private VmRecord recordOf(String id) {
    return new VmDirectory(stateRoot.resolve(id)).read().orElseThrow();
  }

  private static void awaitConsole(QemuRuntime runtime, String id, String line) {
    await().atMost(BOOT).until(() -> runtime.logs(id, -1, false).anyMatch(line::equals));
  }

  private static List<RuntimeEvent> events(QemuRuntime runtime) {
    List<RuntimeEvent> seen = new CopyOnWriteArrayList<>();
    runtime.watch(seen::add);
    return seen;
  }

  private static List<RuntimeEvent.Type> types(List<RuntimeEvent> events) {
    return events.stream().map(RuntimeEvent::type).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return probe.getLocalPort();
    }
  }
}
