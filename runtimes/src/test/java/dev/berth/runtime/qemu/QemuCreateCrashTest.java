package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed at any moment of a VM's create or start leaves nothing the next runtime on the
 * same state root cannot see: each window has its test, with what the runtime leaves at that moment
 * (the record, QEMU itself started by the runtime's own launcher, its pid file).
 */
class QemuCreateCrashTest {

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
    ProcessTable.naming(stateRoot).forEach(ProcessHandle::destroyForcibly);
    if (image != null) {
      Files.deleteIfExists(image.resolve(VmImage.KERNEL_FILE));
    }
  }

  @Test
  void aQemuStartedByACreateButNotRecordedIsAdoptedByTheNextRuntime() throws IOException {
    String id = "vm-0123456789ab";
    WorkloadSpec spec = guest().label("berth.service", "shop").build();
    VmDirectory directory = new VmDirectory(Files.createDirectories(stateRoot.resolve(id)));
    // What a create leaves when a crash cuts it short after QEMU started: its record, QEMU and the
    // pid file QEMU wrote; not the QEMU process in the record.
    directory.write(VmRecord.created(id, spec, Instant.now()));
    ProcessIdentity qemu = launch(spec, directory);

    QemuRuntime runtime = open();

    assertThat(runtime.list())
        .extracting(Workload::id, Workload::state)
        .containsExactly(tuple(id, WorkloadState.RUNNING));
    assertThat(directory.read().orElseThrow().process()).isEqualTo(qemu);
    assertThat(runtime.inspect(id).orElseThrow().labels()).containsEntry("berth.service", "shop");
    runtime.stop(id, Duration.ZERO);
    assertThat(qemu.alive()).isFalse();
    assertThat(ProcessTable.naming(directory.path())).isEmpty();
  }

  @Test
  void aStartCutShortAfterQemuStartedIsAdoptedAndNotStartedTwice() {
    QemuRuntime first = open();
    String id = first.run(guest().build()).id();
    first.stop(id, Duration.ZERO);
    first.close();
    VmDirectory directory = new VmDirectory(stateRoot.resolve(id));
    // What start leaves when a crash cuts it short after QEMU started.
    VmRecord record = directory.read().orElseThrow();
    directory.write(record.launching());
    ProcessIdentity qemu = launch(record.spec(), directory);

    QemuRuntime second = open();
    second.start(id);

    assertThat(second.inspect(id).orElseThrow().state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(directory.read().orElseThrow().process()).isEqualTo(qemu);
    assertThat(ProcessTable.naming(directory.path()))
        .as("one QEMU for the VM, the one started before the crash")
        .extracting(ProcessHandle::pid)
        .containsExactly(qemu.pid());
  }

  @Test
  void aCreateCutShortBeforeQemuWroteItsPidFileEndsItAndTheVmIsCreated() throws IOException {
    QemuRuntime first = open();
    String id = first.run(guest().build()).id();
    first.stop(id, Duration.ZERO);
    first.close();
    VmDirectory directory = new VmDirectory(stateRoot.resolve(id));
    directory.write(directory.read().orElseThrow().launching());
    Files.deleteIfExists(directory.pidFile());
    // A QEMU still setting up: it names its pid file, and has not written it.
    Process settingUp =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "sleep 60; exit 0",
                "qemu",
                "-pidfile",
                directory.pidFile().toString())
            .start();

    QemuRuntime second = open();

    assertThat(settingUp.toHandle().isAlive()).isFalse();
    assertThat(second.inspect(id).orElseThrow().state()).isEqualTo(WorkloadState.CREATED);
    second.start(id);
    assertThat(second.inspect(id).orElseThrow().state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(ProcessTable.naming(directory.path())).hasSize(1);
  }

  private ProcessIdentity launch(WorkloadSpec spec, VmDirectory directory) {
    QemuConfig config = QemuConfig.of(stateRoot);
    return new QemuLauncher()
        .launch(QemuCommand.of(config, spec, VmImage.resolve(spec.image()), directory), directory);
  }

  private QemuRuntime open() {
    QemuRuntime runtime = new QemuRuntime(QemuConfig.of(stateRoot));
    runtimes.add(runtime);
    return runtime;
  }

  private WorkloadSpec.Builder guest() {
    return WorkloadSpec.builder("guest", WorkloadKind.UNIKERNEL)
        .image(image.toString())
        .args("console=ttyS0", "quiet", "panic=-1");
  }
}
