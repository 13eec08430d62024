package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the QEMU runtime refuses, and how, before any guest boots. */
class QemuRuntimeTest {

  @TempDir Path temporary;

  private Path stateRoot;
  private QemuRuntime runtime;

  @BeforeEach
  void open() {
    stateRoot = temporary.resolve("state");
    runtime = new QemuRuntime(QemuConfig.of(stateRoot));
  }

  @AfterEach
  void cleanUp() {
    runtime.close();
    QemuTestEnvironment.killLeftovers(stateRoot);
  }

  @Test
  void itIsTheQemuRuntimeOfUnikernels() {
    assertThat(runtime.name()).isEqualTo("qemu");
    assertThat(runtime.kinds()).containsExactly(WorkloadKind.UNIKERNEL);
  }

  @Test
  void aMissingImageIsImageMissingAndLeavesNothingBehind() throws IOException {
    String missing = temporary.resolve("no-such-image").toString();
    Path withoutKernel = Files.createDirectories(temporary.resolve("empty-image"));

    assertFailure(() -> runtime.ensureImage(missing, PullPolicy.IF_ABSENT), Reason.IMAGE_MISSING);
    assertFailure(() -> runtime.run(vm(missing).build()), Reason.IMAGE_MISSING);
    assertFailure(() -> runtime.run(vm(withoutKernel.toString()).build()), Reason.IMAGE_MISSING);
    assertThat(runtime.list()).isEmpty();
    assertThat(entries(stateRoot)).isEmpty();
  }

  @Test
  void anImagePresentIsAllEnsureImageChecksWhateverThePolicy() throws IOException {
    Path image = kernelImage();

    runtime.ensureImage(image.toString(), PullPolicy.ALWAYS);
    runtime.ensureImage(image.toString(), PullPolicy.NEVER);
  }

  @Test
  void anImageCopyThatACrashCutShortIsDeletedWhenTheRuntimeOpens() throws IOException {
    Path cache = stateRoot.resolve(QemuRuntime.IMAGE_CACHE);
    Path partial = Files.createDirectories(cache.resolve(".partial-123/content"));
    Files.writeString(partial.resolve("kernel"), "half a kernel");
    Path whole = Files.createDirectories(cache.resolve("0123abcd"));

    new QemuRuntime(QemuConfig.of(stateRoot)).close();

    assertThat(entries(cache)).containsExactly(whole);
  }

  @Test
  void withoutTheQemuBinaryTheRuntimeIsUnavailable() throws IOException {
    QemuRuntime withoutQemu =
        new QemuRuntime(
            QemuConfig.builder(stateRoot).binary("/nonexistent/qemu-system-x86_64").build());
    try {
      assertFailure(
          () -> withoutQemu.run(vm(kernelImage().toString()).build()), Reason.UNAVAILABLE);
      assertThat(entries(stateRoot)).isEmpty();
    } finally {
      withoutQemu.close();
    }
  }

  @Test
  void aHostPortInUseIsPortTakenAndLeavesNothingBehind() throws IOException {
    QemuTestEnvironment.requireQemu();
    // QEMU binds its port forwards before it loads the kernel: any file will do as one.
    Path image = kernelImage();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      PortBinding busy = new PortBinding("web", "127.0.0.1", taken.getLocalPort(), 80);

      assertThatThrownBy(() -> runtime.run(vm(image.toString()).ports(busy).build()))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.PORT_TAKEN);
                assertThat(e.runtimeMessage()).contains("host forwarding rule");
              });
    }
    assertThat(runtime.list()).isEmpty();
    assertThat(entries(stateRoot)).isEmpty();
  }

  @Test
  void aDirectoryWithoutAStateFileIsACreateCutShortAndIsDeleted() throws IOException {
    runtime.close();
    // What a crash leaves between creating a VM's directory and writing its state.
    Path unrecorded = Files.createDirectories(stateRoot.resolve("vm-00000000000a"));

    runtime = new QemuRuntime(QemuConfig.of(stateRoot));

    assertThat(runtime.list()).isEmpty();
    assertThat(unrecorded).doesNotExist();
  }

  @Test
  void unknownIdsAreNotFoundExceptToRemoveWhichDoesNothing() {
    for (String id : new String[] {"vm-000000000000", "../state", "proc-000000000000"}) {
      assertThat(runtime.inspect(id)).isEmpty();
      assertFailure(() -> runtime.start(id), Reason.NOT_FOUND);
      assertFailure(() -> runtime.stop(id, Duration.ofSeconds(1)), Reason.NOT_FOUND);
      assertFailure(() -> runtime.logs(id, 10, false), Reason.NOT_FOUND);
      runtime.remove(id);
    }
  }

  @Test
  void specsAVmCannotHonourAreInvalid() throws IOException {
    String kernel = kernelImage().toString();
    Path disk = Files.write(temporary.resolve("disk.img"), new byte[512]);

    assertFailure(
        () -> runtime.run(WorkloadSpec.builder("c", WorkloadKind.CONTAINER).image(kernel).build()),
        Reason.INVALID_SPEC);
    assertFailure(
        () -> runtime.run(vm(kernel).mounts(List.of(new Mount("/a", "/b", true))).build()),
        Reason.INVALID_SPEC);
    assertFailure(
        () -> runtime.run(vm(kernel).ports(new PortBinding("web", "::1", 8080, 80)).build()),
        Reason.INVALID_SPEC);
    assertFailure(
        () -> runtime.run(vm(kernel).ports(new PortBinding("web", null, 0, 80)).build()),
        Reason.INVALID_SPEC);
    assertFailure(
        () -> runtime.run(vm(disk.toString()).args("console=ttyS0").build()), Reason.INVALID_SPEC);
    // Not a path is an OCI image reference (QemuOciImageTest); blank is neither.
    assertFailure(() -> runtime.run(vm(" ").build()), Reason.INVALID_SPEC);
    assertThat(entries(stateRoot)).isEmpty();
  }

  @Test
  void aStateRootTooLongForUnixSocketsIsRefusedUpFront() {
    Path deep = temporary.resolve("d".repeat(100));

    assertThatThrownBy(() -> new QemuRuntime(QemuConfig.of(deep)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("107");
  }

  private static WorkloadSpec.Builder vm(String image) {
    return WorkloadSpec.builder("vm", WorkloadKind.UNIKERNEL).image(image);
  }

  /** An image directory whose kernel is an empty file: enough for what fails before booting. */
  private Path kernelImage() throws IOException {
    Path image = Files.createDirectories(temporary.resolve("image"));
    Path kernel = image.resolve(VmImage.KERNEL_FILE);
    if (!Files.exists(kernel)) {
      Files.createFile(kernel);
    }
    return image;
  }

  private static void assertFailure(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static List<Path> entries(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
