package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed at any moment of a create (or of a start) leaves nothing the next runtime on the
 * same state root cannot see: every process is a listed workload's, each workload has one process,
 * and no directory is left that is not a workload. Each window of a create has its own test, with
 * what the runtime leaves on disk at that moment; a last one kills a real agent JVM at random
 * moments.
 */
class ProcessCreateCrashTest {

  @TempDir Path temporary;

  private Harness harness;

  @BeforeEach
  void open() {
    harness = new Harness(temporary);
  }

  @AfterEach
  void cleanUp() {
    harness.close();
  }

  @Test
  void aDirectoryWithoutAStateFileIsACreateCutShortAndIsDeleted() throws IOException {
    // What a crash leaves between creating the directory and writing its state (or mid-write).
    Path empty = Files.createDirectories(harness.root.resolve("proc-00000000000a"));
    Path staged = Files.createDirectories(harness.root.resolve("proc-00000000000b"));
    Files.writeString(staged.resolve("state.json.123.tmp"), "{\"id\":");
    Path other = Files.createDirectories(harness.root.resolve("not-a-workload"));

    ProcessRuntime runtime = harness.open();

    assertThat(runtime.list()).isEmpty();
    assertThat(empty).doesNotExist();
    assertThat(staged).doesNotExist();
    assertThat(other).as("not ours to delete").exists();
  }

  @Test
  void aCreateCutShortBeforeItsSupervisorStartedIsACreatedWorkloadThatStartsOnce() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exec sleep 60").label("berth.service", "shop").build());
    first.stop(workload.id(), PATIENCE);
    first.close();
    // On disk as a create leaves it before its supervisor runs: the state, labels and all.
    recordAsBeingStarted(workload.id());
    new WorkloadDirectory(harness.directoryOf(workload.id())).clearRun();

    ProcessRuntime second = harness.open();

    Workload created = second.inspect(workload.id()).orElseThrow();
    assertThat(created.state()).isEqualTo(WorkloadState.CREATED);
    assertThat(created.labels()).containsEntry("berth.service", "shop");
    second.start(workload.id());
    assertThat(second.list())
        .extracting(Workload::id, Workload::state)
        .containsExactly(tuple(workload.id(), WorkloadState.RUNNING));
    awaitOneSleepUnderTheRoot();
  }

  @Test
  void aStartCutShortAfterItsProgramWroteItsPidIsAdoptedAsThatRun() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exec sleep 60").build());
    ProcessIdentity program = harness.recordOf(workload.id()).identity();
    first.close();
    // The program runs and its pid is on disk, but the agent died before recording it.
    recordAsBeingStarted(workload.id());

    ProcessRuntime second = harness.open();

    assertThat(second.list())
        .extracting(Workload::id, Workload::state)
        .containsExactly(tuple(workload.id(), WorkloadState.RUNNING));
    assertThat(harness.recordOf(workload.id()).identity()).isEqualTo(program);
    await().atMost(PATIENCE).until(() -> sleepsUnder(harness.root), List.of(program.pid())::equals);
    second.stop(workload.id(), PATIENCE);
    assertThat(second.inspect(workload.id()).orElseThrow().exitCode()).isEqualTo(128 + 15);
    assertThat(program.alive()).isFalse();
  }

  @Test
  void aStartCutShortWhoseProgramHasEndedSinceIsSeenExitedWithItsCode() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exit 7").build());
    await()
        .atMost(PATIENCE)
        .until(() -> first.inspect(workload.id()).orElseThrow().exitCode() != null);
    first.close();
    recordAsBeingStarted(workload.id());

    Workload seen = harness.open().inspect(workload.id()).orElseThrow();

    assertThat(seen.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(seen.exitCode()).isEqualTo(7);
  }

  @Test
  void aSupervisorThatNeverStartedItsProgramIsEndedAndTheWorkloadIsCreated() throws IOException {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exec sleep 60").build());
    first.stop(workload.id(), PATIENCE);
    first.close();
    recordAsBeingStarted(workload.id());
    Path directory = harness.directoryOf(workload.id());
    new WorkloadDirectory(directory).clearRun();
    // A supervisor stuck before it wrote its program's pid: it names the directory, as one does.
    ProcessHandle stuck =
        harness.stray(
            "/bin/sh", "-c", "sleep 60; exit 0", SupervisorScript.NAME, directory.toString());
    await().atMost(PATIENCE).until(() -> !ProcessTable.naming(directory).isEmpty());

    ProcessRuntime second = harness.open();

    assertThat(ProcessIdentity.running(stuck)).isFalse();
    assertThat(second.inspect(workload.id()).orElseThrow().state())
        .isEqualTo(WorkloadState.CREATED);
    second.start(workload.id());
    awaitOneSleepUnderTheRoot();
  }

  /** Kills a real agent JVM at random moments while it creates processes, again and again. */
  @Test
  void anAgentKilledAtRandomMomentsOfItsCreatesLeavesOnlyWorkloadsTheNextOneLists()
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int unrecorded = 0;
    int beingStarted = 0;
    int adopted = 0;
    for (int kill = 0; kill < 25; kill++) {
      Process agent = startCreatingAgent();
      Thread.sleep(random.nextInt(100)); // the kill's moment, not an assertion
      agent.destroyForcibly();
      assertThat(agent.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      List<String> startsCutShort = new ArrayList<>();
      for (String id : harness.directories()) {
        Optional<ProcessRecord> record = new WorkloadDirectory(harness.directoryOf(id)).read();
        if (record.isEmpty()) {
          unrecorded++;
        } else if (record.get().identity() == null) {
          startsCutShort.add(id);
        }
      }

      ProcessRuntime next = harness.open();
      List<Workload> listed = next.list();
      Set<Long> programs =
          listed.stream()
              .filter(w -> w.state() == WorkloadState.RUNNING)
              .map(w -> harness.recordOf(w.id()).identity().pid())
              .collect(Collectors.toSet());
      assertThat(harness.directories())
          .as("every directory is a listed workload (seed %d)", seed)
          .containsExactlyInAnyOrderElementsOf(listed.stream().map(Workload::id).toList());
      assertThat(listed)
          .extracting(Workload::state)
          .as("running, or created by a create cut short")
          .allMatch(state -> state == WorkloadState.RUNNING || state == WorkloadState.CREATED);
      // A program started just before the kill may still be the shell about to exec it.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(sleepsUnder(harness.root))
                      .as("every process is a listed workload's, one each (seed %d)", seed)
                      .containsExactlyInAnyOrderElementsOf(programs));
      beingStarted += startsCutShort.size();
      adopted +=
          (int)
              listed.stream()
                  .filter(w -> startsCutShort.contains(w.id()))
                  .filter(w -> w.state() == WorkloadState.RUNNING)
                  .count();

      for (Workload workload : listed) {
        next.remove(workload.id());
      }
      next.close();
      assertThat(sleepsUnder(harness.root)).isEmpty();
    }
    System.out.printf(
        "25 kills during creates: %d directories without state deleted, %d starts cut short"
            + " (%d of them adopted running, the others created), no process unlisted%n",
        unrecorded, beingStarted, adopted);
  }

  private Process startCreatingAgent() throws IOException {
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CreatingAgent.class.getName(),
                harness.root.toString())
            .redirectErrorStream(true)
            .start();
    harness.killOnClose(agent.toHandle());
    BufferedReader output =
        new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    assertThat(output.readLine()).isEqualTo("ready");
    return agent;
  }

  /** Its shell execs sleep a moment after the start returns. */
  private void awaitOneSleepUnderTheRoot() {
    await().atMost(PATIENCE).until(() -> sleepsUnder(harness.root).size() == 1);
  }

  /** Rewrites a workload's state as a start under way leaves it (see {@code launching()}). */
  private void recordAsBeingStarted(String id) {
    WorkloadDirectory directory = new WorkloadDirectory(harness.directoryOf(id));
    directory.write(directory.read().orElseThrow().launching(null));
  }

  /** The pids of the {@code sleep} programs whose working directory is under {@code root}. */
  static List<Long> sleepsUnder(Path root) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .filter(p -> workingDirectory(p.pid()).startsWith(root.toAbsolutePath().toString()))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static String workingDirectory(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
