package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.events;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.LocalWorkloadRuntime;
import dev.berth.runtime.local.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory and CPU limits of real processes, in this machine's real cgroups (v2, or v1 memory and cpu
 * hierarchies): they need a writable controller, so root on most machines. Where there is none they
 * are skipped, saying why; under CI (CI=true) they fail instead, since CI runs as root on a machine
 * that has them and a skip there would hide a broken enforcement.
 */
class ProcessCgroupTest {

  /** Well over the limit below: a 200 MB line that {@code tail} keeps whole in memory. */
  private static final String ALLOCATE_200_MB = "head -c 200000000 /dev/zero | tail";

  @TempDir Path temporary;

  private Harness harness;
  private ProcessLimits limits;

  @BeforeEach
  void requireCgroups() {
    harness = new Harness(temporary);
    limits = ProcessLimits.detect(harness.root);
    String why =
        limits.support().memoryUnavailable() != null
            ? limits.support().memoryUnavailable()
            : limits.support().cpuUnavailable();
    if (why == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("process limit tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("process limit tests skipped: " + why);
  }

  @AfterEach
  void cleanUp() {
    harness.close();
    // Whatever a failed test left: every cgroup of this state root, none of anybody else's.
    limits.removeStale(id -> false);
  }

  @Test
  void aProcessOverItsMemoryLimitIsKilledAndReportedOomKilled() {
    ProcessRuntime runtime = harness.open();
    List<RuntimeEvent> events = events(runtime);

    Workload workload = runtime.run(shell(ALLOCATE_200_MB).memoryMb(32).build());

    Workload ended = awaitExited(runtime, workload.id());
    assertThat(ended.oomKilled()).isTrue();
    assertThat(ended.exitCode()).as("SIGKILL: 128 + 9").isEqualTo(137);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .filteredOn(event -> event.workloadId().equals(workload.id()))
                    .extracting(RuntimeEvent::type)
                    .containsExactly(
                        RuntimeEvent.Type.STARTED, RuntimeEvent.Type.OOM, RuntimeEvent.Type.DIED));
  }

  @Test
  void aProcessWithinItsLimitThatFailsIsNotReportedOomKilled() {
    ProcessRuntime runtime = harness.open();

    Workload workload =
        runtime.run(shell("head -c 1000000 /dev/zero | tail; exit 3").memoryMb(32).build());

    Workload ended = awaitExited(runtime, workload.id());
    assertThat(ended.exitCode()).isEqualTo(3);
    assertThat(ended.oomKilled()).isFalse();
  }

  @Test
  void theProgramIsInItsCgroupsFromItsFirstInstructionWithItsLimits() throws IOException {
    ProcessRuntime runtime = harness.open();

    // cat's first read is of its own cgroups: it was in them before it was exec'd.
    Workload workload =
        runtime.run(Harness.shell("exec cat /proc/self/cgroup").memoryMb(48).vcpus(1).build());

    awaitExited(runtime, workload.id());
    List<Path> directories = limits.of(workload.id()).directories();
    String name = directories.get(0).getFileName().toString();
    assertThat(String.join("\n", runtime.logs(workload.id(), -1, false).toList()))
        .contains("/" + CgroupHierarchy.BERTH + "/" + name);
    for (Path directory : directories) {
      assertThat(directory).isDirectory();
      if (Files.exists(directory.resolve("memory.max"))) {
        assertThat(Files.readString(directory.resolve("memory.max")).strip()).isEqualTo("50331648");
        assertThat(Files.readString(directory.resolve("cpu.max")).strip())
            .isEqualTo("100000 100000");
      } else if (Files.exists(directory.resolve("memory.limit_in_bytes"))) {
        assertThat(Files.readString(directory.resolve("memory.limit_in_bytes")).strip())
            .isEqualTo("50331648");
      } else {
        assertThat(Files.readString(directory.resolve("cpu.cfs_quota_us")).strip())
            .isEqualTo("100000");
        assertThat(Files.readString(directory.resolve("cpu.cfs_period_us")).strip())
            .isEqualTo("100000");
      }
    }
  }

  @Test
  void theCgroupsAreGoneOnceTheWorkloadIsRemoved() {
    ProcessRuntime runtime = harness.open();
    Workload workload = runtime.run(shell("exec sleep 60").memoryMb(32).vcpus(1).build());
    List<Path> directories = limits.of(workload.id()).directories();
    assertThat(directories).allSatisfy(directory -> assertThat(directory).isDirectory());

    runtime.remove(workload.id());

    assertThat(directories).allSatisfy(directory -> assertThat(directory).doesNotExist());
  }

  @Test
  void anAdoptedProcessIsStillReportedOomKilled() throws IOException {
    ProcessRuntime first = harness.open();
    // It waits for a file in its working directory (its workload's), then goes over its limit.
    Workload workload =
        first.run(
            shell("while [ ! -e go ]; do sleep 0.05; done; " + ALLOCATE_200_MB)
                .memoryMb(32)
                .build());
    first.close();

    ProcessRuntime second = harness.open();
    Files.createFile(harness.directoryOf(workload.id()).resolve("go"));

    Workload ended = awaitExited(second, workload.id());
    assertThat(ended.oomKilled()).isTrue();
    assertThat(ended.exitCode()).isEqualTo(137);
  }

  @Test
  void theCgroupOfAWorkloadWhoseRemovalACrashCutShortGoesWhenTheRuntimeOpens() throws IOException {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exit 0").memoryMb(32).build());
    awaitExited(first, workload.id());
    first.close();
    // What a crash between deleting the directory and removing the cgroup leaves.
    Path state = harness.directoryOf(workload.id());
    StateDirectory.delete(state, state.resolve(LocalWorkloadRuntime.STATE_FILE));
    List<Path> directories = limits.of(workload.id()).directories();
    assertThat(directories).anySatisfy(directory -> assertThat(directory).isDirectory());

    harness.open();

    assertThat(directories).allSatisfy(directory -> assertThat(directory).doesNotExist());
  }

  /** The workload once its runtime recorded how its run ended (an adopted one's, by polling). */
  private Workload awaitExited(ProcessRuntime runtime, String id) {
    await().atMost(PATIENCE).until(() -> harness.recordOf(id).exitSeen());
    Workload ended = runtime.inspect(id).orElseThrow();
    assertThat(ended.state()).isEqualTo(WorkloadState.EXITED);
    return ended;
  }
}
