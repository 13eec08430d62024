package dev.berth.runtime.qemu;

import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadRuntimeContract;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QEMU runtime keeps the SPI's contract, with real VMs ({@link QemuTestEnvironment}). Nothing
 * here waits for a guest to boot: a VM runs once its QEMU does, and the guest ignores ACPI, so a
 * stop takes {@link #STOP_TIMEOUT} and a QMP quit, and the contract costs seconds, not boots.
 */
class QemuRuntimeContractTest extends WorkloadRuntimeContract {

  @TempDir Path temporary;

  private Path stateRoot;
  private Path image;

  @Override
  protected WorkloadRuntime open() {
    stateRoot = temporary.resolve("state");
    image = QemuTestEnvironment.guestImage(temporary);
    return new QemuRuntime(QemuConfig.of(stateRoot));
  }

  @Override
  protected WorkloadSpec.Builder longRunning(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.UNIKERNEL)
        .image(image.toString())
        .args("console=ttyS0", "quiet", "panic=-1");
  }

  @Override
  protected WorkloadSpec.Builder absent(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.UNIKERNEL)
        .image(temporary.resolve("no-such-image").toString());
  }

  @Override
  protected String unknownId() {
    return QemuRuntime.ID_PREFIX + "000000000000";
  }

  @Override
  protected void cleanUp(WorkloadRuntime runtime) throws Exception {
    runtime.close();
    QemuTestEnvironment.killLeftovers(stateRoot);
    // A link to the cached kernel: JUnit would warn about it leaving the temporary directory.
    Files.deleteIfExists(image.resolve(VmImage.KERNEL_FILE));
  }
}
