package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.events;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes outlive the agent, and a new runtime on the same state root takes them over: what is
 * still running is running, how what ended ended, and a process that merely reuses a recorded pid
 * is never taken for ours.
 */
class ProcessAdoptionTest {

  private static final String TICKER = "while true; do echo tick; sleep 0.1; done";

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
  void aProcessKeepsRunningAfterItsRuntimeIsClosed() throws IOException {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell(TICKER).build());

    first.close();

    ProcessIdentity process = harness.recordOf(workload.id()).identity();
    assertThat(process.alive()).isTrue();
    long lines = outputLines(workload.id());
    await().atMost(PATIENCE).until(() -> outputLines(workload.id()) > lines + 2);
  }

  @Test
  void aProcessOutlivesTheAgentJvmThatStartedIt() throws Exception {
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ShortLivedAgent.class.getName(),
                harness.root.toString(),
                TICKER)
            .redirectErrorStream(true)
            .start();
    harness.killOnClose(agent.toHandle());
    String printed = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(agent.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    List<String> lines = printed.lines().toList();
    String id = lines.get(lines.size() - 1);

    ProcessRuntime restarted = harness.open();

    assertThat(restarted.inspect(id)).map(Workload::state).contains(WorkloadState.RUNNING);
    // It still writes with its agent gone: its output is a file, not a pipe that would SIGPIPE it.
    long written = outputLines(id);
    await().atMost(PATIENCE).until(() -> outputLines(id) > written + 2);
    restarted.stop(id, PATIENCE);
    assertThat(restarted.inspect(id)).map(Workload::state).contains(WorkloadState.EXITED);
  }

  @Test
  void aNewRuntimeOnTheSameRootSeesTheRunningProcessAndCanStopIt() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exec sleep 60").label("berth.service", "shop").build());
    first.close();

    ProcessRuntime second = harness.open();

    Workload adopted = second.inspect(workload.id()).orElseThrow();
    assertThat(adopted.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(adopted.labels()).containsEntry("berth.service", "shop");
    assertThat(second.list()).extracting(Workload::id).containsExactly(workload.id());

    second.stop(workload.id(), PATIENCE);

    Workload stopped = second.inspect(workload.id()).orElseThrow();
    assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(stopped.exitCode()).as("kept by its supervisor: SIGTERM").isEqualTo(128 + 15);
    assertThat(harness.recordOf(workload.id()).identity().alive()).isFalse();
  }

  @Test
  void anAdoptedProcessThatExitsIsADiedEventWithItsExitCode() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exec sleep 60").build());
    first.close();
    ProcessRuntime second = harness.open();
    List<RuntimeEvent> events = events(second);

    harness.recordOf(workload.id()).identity().find().orElseThrow().destroy();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .singleElement()
                    .satisfies(
                        event -> {
                          assertThat(event.type()).isEqualTo(RuntimeEvent.Type.DIED);
                          assertThat(event.workloadId()).isEqualTo(workload.id());
                          assertThat(event.exitCode()).isEqualTo(128 + 15);
                        }));
    assertThat(second.inspect(workload.id())).map(Workload::state).contains(WorkloadState.EXITED);
  }

  @Test
  void anExitCodeRecordedBeforeTheRestartIsStillKnownAfterIt() {
    ProcessRuntime first = harness.open();
    Workload workload = first.run(shell("exit 5").build());
    await()
        .atMost(PATIENCE)
        .until(() -> first.inspect(workload.id()).orElseThrow().exitCode(), code -> code != null);
    first.close();

    Workload adopted = harness.open().inspect(workload.id()).orElseThrow();

    assertThat(adopted.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(adopted.exitCode()).isEqualTo(5);
  }

  @Test
  void aLiveProcessThatReusesTheRecordedPidIsNotOurs() throws Exception {
    ProcessHandle stranger = harness.stray("sleep", "60");
    Instant strangerStart = stranger.info().startInstant().orElseThrow();
    String id = "proc-0123456789ab";
    new WorkloadDirectory(Files.createDirectories(harness.root.resolve(id)))
        .write(record(id, new ProcessIdentity(stranger.pid(), strangerStart.minusSeconds(5))));

    ProcessRuntime runtime = harness.open();

    assertThat(runtime.inspect(id)).map(Workload::state).contains(WorkloadState.EXITED);
    runtime.stop(id, PATIENCE);
    runtime.remove(id);
    assertThat(ProcessIdentity.running(stranger)).as("never signal a stranger").isTrue();
    assertThat(harness.directoryOf(id)).doesNotExist();
  }

  @Test
  void aWorkloadRecordedButNeverStartedIsCreatedAndCanBeStarted() throws Exception {
    // What a crash between writing the state and starting the process leaves.
    String id = "proc-ba9876543210";
    new WorkloadDirectory(Files.createDirectories(harness.root.resolve(id)))
        .write(record(id, null));
    ProcessRuntime runtime = harness.open();
    assertThat(runtime.inspect(id)).map(Workload::state).contains(WorkloadState.CREATED);

    runtime.start(id);

    assertThat(runtime.inspect(id)).map(Workload::state).contains(WorkloadState.RUNNING);
  }

  private static ProcessRecord record(String id, ProcessIdentity identity) {
    return new ProcessRecord(
        id,
        "written-by-hand",
        Map.of(),
        "/bin/sleep",
        List.of("60"),
        Map.of(),
        null,
        List.of(),
        Instant.now(),
        identity == null ? null : identity.startedAt(),
        identity,
        null,
        null,
        null,
        0,
        0,
        null,
        false);
  }

  private long outputLines(String id) throws IOException {
    try (Stream<String> lines =
        Files.lines(harness.directoryOf(id).resolve(WorkloadDirectory.OUTPUT_LOG))) {
      return lines.count();
    }
  }
}
