package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.events;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import dev.berth.spec.identity.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime runs, stops, starts again and removes host processes. */
class ProcessRuntimeTest {

  @TempDir Path temporary;

  private Harness harness;
  private ProcessRuntime runtime;

  @BeforeEach
  void open() {
    harness = new Harness(temporary);
    runtime = harness.open();
  }

  @AfterEach
  void cleanUp() {
    harness.close();
  }

  @Test
  void runStartsTheProcessAndReportsItRunningWithItsLabels() {
    Workload workload =
        runtime.run(
            shell("exec sleep 60")
                .label(Labels.SERVICE, "shop")
                .label(Labels.COMPONENT, "web")
                .build());

    assertThat(workload.id()).matches("proc-[0-9a-f]{12}");
    assertThat(workload.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(workload.kind()).isEqualTo(WorkloadKind.PROCESS);
    assertThat(workload.image()).isEqualTo("/bin/sh");
    assertThat(workload.startedAt()).isNotNull();
    assertThat(workload.service()).isEqualTo("shop");
    assertThat(workload.component()).isEqualTo("web");
    assertThat(runtime.inspect(workload.id())).contains(workload);
    assertThat(harness.recordOf(workload.id()).identity().alive()).isTrue();
  }

  @Test
  void aProcessRunsInASessionOfItsOwnSoThatSignalsToTheAgentsTerminalMissIt() throws IOException {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid")),
        "without setsid, a process shares the agent's session");
    Workload workload = runtime.run(shell("exec sleep 60").build());
    long pid = harness.recordOf(workload.id()).identity().pid();
    long supervisor = harness.recordOf(workload.id()).supervisor().pid();

    // /proc/PID/stat: "PID (COMM) STATE PPID PGRP SESSION ..."
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(Long.parseLong(fields[3])).as("session: its supervisor's").isEqualTo(supervisor);
    assertThat(Long.parseLong(fields[1]))
        .as("parent: not the agent")
        .isNotEqualTo(ProcessHandle.current().pid());
    // Its shell execs sleep a moment after the start returns.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(ProcessHandle.of(pid).orElseThrow().info().command())
                    .as("the recorded pid is the program's")
                    .hasValueSatisfying(command -> assertThat(command).endsWith("sleep")));
  }

  @Test
  void argumentsReachTheProgramAsGivenWhateverTheyHold() {
    List<String> words =
        List.of("two words", "it's", "$HOME", "`id`", "", "line one\nline two", "\\ and ;|&");
    List<String> args = new ArrayList<>(List.of("-c", "printf '[%s]\\n' \"$@\"", "sh"));
    args.addAll(words);
    Workload workload =
        runtime.run(
            WorkloadSpec.builder("words", WorkloadKind.PROCESS)
                .executable("/bin/sh")
                .args(args)
                .build());

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(String.join("\n", runtime.logs(workload.id(), -1, false).toList()))
                    .isEqualTo(
                        "[two words]\n[it's]\n[$HOME]\n[`id`]\n[]\n[line one\nline two]\n"
                            + "[\\ and ;|&]"));
  }

  @Test
  void onlyTheProgramCarriesItsArgumentsInTheProcessTable() {
    String marker = "marker-" + System.nanoTime();
    Workload workload =
        runtime.run(
            WorkloadSpec.builder("marked", WorkloadKind.PROCESS)
                .executable("/bin/sh")
                .args("-c", "sleep 60; exit 0", marker)
                .build());
    long program = harness.recordOf(workload.id()).identity().pid();

    // What pgrep -f or pkill -f would match: the program (once it has replaced the shell that
    // wrote its pid), never its supervisor or shells.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.allProcesses()
                            .filter(
                                p ->
                                    p.info()
                                        .arguments()
                                        .map(List::of)
                                        .orElse(List.of())
                                        .contains(marker))
                            .map(ProcessHandle::pid))
                    .containsExactly(program));
    assertThat(ProcessTable.naming(harness.directoryOf(workload.id()))).isNotEmpty();
  }

  @Test
  void eachNamedPortReachesTheProcessAsPortName() {
    PortBinding web = new PortBinding("web-ui", null, 18080, 18080);
    PortBinding admin = new PortBinding("admin.api", null, 18081, 18081);
    Workload workload =
        runtime.run(
            shell("echo \"web=$PORT_WEB_UI admin=$PORT_ADMIN_API port=${PORT:-unset}\"")
                .ports(web, admin)
                .build());

    awaitLog(workload.id(), "web=18080 admin=18081 port=unset");
    assertThat(workload.ports()).containsExactly(web, admin);
  }

  @Test
  void aSinglePortIsAlsoPort() {
    Workload workload =
        runtime.run(
            shell("echo \"port=$PORT grpc=$PORT_GRPC\"")
                .ports(new PortBinding("grpc", null, 19090, 19090))
                .build());

    awaitLog(workload.id(), "port=19090 grpc=19090");
  }

  @Test
  void theSpecEnvironmentReachesTheProcessOnTopOfTheAgents() {
    Workload workload =
        runtime.run(
            shell("echo \"greeting=$GREETING path=${PATH:+set}\"").env("GREETING", "hi").build());

    awaitLog(workload.id(), "greeting=hi path=set");
  }

  @Test
  void theSupervisorChangesNothingOfTheEnvironmentTheProgramSees() {
    Workload workload =
        runtime.run(
            shell("echo \"d=$d dir=$dir log=$log PATH=$PATH\"")
                .env("d", "mine")
                .env("dir", "mine too")
                .env("log", "and mine")
                .env("PATH", "/usr/bin:/bin")
                .build());

    awaitLog(workload.id(), "d=mine dir=mine too log=and mine PATH=/usr/bin:/bin");
  }

  @Test
  void theWorkingDirectoryDefaultsToTheWorkloadsStateDirectory() throws IOException {
    Workload workload = runtime.run(shell("pwd -P").build());

    awaitLog(workload.id(), harness.directoryOf(workload.id()).toRealPath().toString());
  }

  @Test
  void theWorkingDirectoryCanBeSet() throws IOException {
    Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"));

    Workload workload = runtime.run(shell("pwd -P").workingDirectory(elsewhere.toString()).build());

    awaitLog(workload.id(), elsewhere.toRealPath().toString());
  }

  @Test
  void aBareExecutableNameIsLookedUpInThePathTheProcessGets() throws IOException {
    Path bin = Files.createDirectory(temporary.resolve("bin"));
    Path hello = bin.resolve("hello-berth");
    Files.writeString(hello, "#!/bin/sh\necho hello from $0\n");
    Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));

    Workload workload =
        runtime.run(
            WorkloadSpec.builder("hello", WorkloadKind.PROCESS)
                .executable("hello-berth")
                .env("PATH", bin + ":/usr/bin:/bin")
                .build());

    awaitLog(workload.id(), "hello from " + hello);
  }

  @Test
  void anExecutableThatDoesNotExistIsExecutableNotFoundNamingThePathAndLeavesNothing()
      throws IOException {
    WorkloadSpec spec =
        WorkloadSpec.builder("ghost", WorkloadKind.PROCESS)
            .executable("/nonexistent/ghost")
            .build();

    assertThatThrownBy(() -> runtime.run(spec))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo(Reason.EXECUTABLE_NOT_FOUND);
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage()).contains("/nonexistent/ghost does not exist");
            });
    assertThat(runtime.list()).isEmpty();
    try (var left = Files.list(harness.root)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aFileThatMayNotBeExecutedIsExecutableNotFoundNamingThePath() throws IOException {
    Path script = Files.writeString(temporary.resolve("not-executable.sh"), "echo hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(
            () ->
                runtime.run(
                    WorkloadSpec.builder("ghost", WorkloadKind.PROCESS)
                        .executable(script.toString())
                        .build()))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo(Reason.EXECUTABLE_NOT_FOUND);
              assertThat(failure.getMessage()).contains(script + " is not an executable file");
            });
    assertThat(runtime.list()).isEmpty();
  }

  @Test
  void whatAProcessCannotHonourIsAnInvalidSpec() {
    List<WorkloadSpec> specs =
        List.of(
            shell("true").user("nobody").build(),
            shell("true").mounts(List.of(new Mount("/srv", "/data", false))).build(),
            WorkloadSpec.builder("vm", WorkloadKind.UNIKERNEL).image("/k.img").build(),
            WorkloadSpec.builder("nothing", WorkloadKind.PROCESS).build(),
            shell("true")
                .ports(new PortBinding("a-b", null, 1, 1), new PortBinding("a.b", null, 2, 2))
                .build());

    for (WorkloadSpec spec : specs) {
      assertThatThrownBy(() -> runtime.run(spec))
          .as(spec.toString())
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              failure -> assertThat(failure.reason()).isEqualTo(Reason.INVALID_SPEC));
    }
    assertThat(runtime.list()).isEmpty();
  }

  @Test
  void anExitIsADiedEventWithTheExitCode() {
    List<RuntimeEvent> events = events(runtime);

    Workload workload = runtime.run(shell("exit 3").build());

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .extracting(RuntimeEvent::type, RuntimeEvent::exitCode)
                    .containsExactly(
                        tuple(RuntimeEvent.Type.STARTED, null), tuple(RuntimeEvent.Type.DIED, 3)));
    assertThat(events)
        .allSatisfy(
            event -> {
              assertThat(event.workloadId()).isEqualTo(workload.id());
              assertThat(event.kind()).isEqualTo(WorkloadKind.PROCESS);
            });
    Workload exited = runtime.inspect(workload.id()).orElseThrow();
    assertThat(exited.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(exited.exitCode()).isEqualTo(3);
  }

  @Test
  void aDeathBySignalIs128PlusTheSignalsNumber() throws Exception {
    List<RuntimeEvent> events = events(runtime);
    Workload workload = runtime.run(shell("exec sleep 60").build());

    harness.recordOf(workload.id()).identity().find().orElseThrow().destroyForcibly();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .extracting(RuntimeEvent::type, RuntimeEvent::exitCode)
                    .containsExactly(
                        tuple(RuntimeEvent.Type.STARTED, null),
                        tuple(RuntimeEvent.Type.DIED, 128 + 9)));
    assertThat(runtime.inspect(workload.id()).orElseThrow().exitCode()).isEqualTo(137);
  }

  @Test
  void startRunsAnExitedProcessAgainWithTheSameSpecAsANewProcess() {
    // The first run exits; the second finds the file the first left and stays up.
    Workload workload =
        runtime.run(
            shell("if [ -e ran-once ]; then echo second; exec sleep 60; fi; touch ran-once; exit 4")
                .build());
    await()
        .atMost(PATIENCE)
        .until(() -> runtime.inspect(workload.id()).orElseThrow().exitCode(), code -> code == 4);
    ProcessIdentity first = harness.recordOf(workload.id()).identity();

    runtime.start(workload.id());

    Workload again = runtime.inspect(workload.id()).orElseThrow();
    assertThat(again.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(again.exitCode()).isNull();
    assertThat(harness.recordOf(workload.id()).identity()).isNotEqualTo(first);
    awaitLog(workload.id(), "second");
  }

  @Test
  void startOfARunningProcessDoesNothing() {
    Workload workload = runtime.run(shell("exec sleep 60").build());
    ProcessIdentity identity = harness.recordOf(workload.id()).identity();

    runtime.start(workload.id());

    assertThat(harness.recordOf(workload.id()).identity()).isEqualTo(identity);
  }

  @Test
  void stopAsksWithSigtermFirst() {
    Workload workload =
        runtime.run(
            shell("trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done")
                .build());
    awaitLog(workload.id(), "ready");

    runtime.stop(workload.id(), PATIENCE);

    Workload stopped = runtime.inspect(workload.id()).orElseThrow();
    assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(stopped.exitCode()).isZero();
    assertThat(runtime.logs(workload.id(), 10, false)).contains("got TERM");
  }

  @Test
  void stopForcesWithSigkillAfterTheTimeout() {
    Workload workload =
        runtime.run(shell("trap '' TERM; echo ready; while true; do sleep 0.1; done").build());
    awaitLog(workload.id(), "ready");
    Duration timeout = Duration.ofMillis(300);
    long started = System.nanoTime();

    runtime.stop(workload.id(), timeout);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout);
    Workload stopped = runtime.inspect(workload.id()).orElseThrow();
    assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(stopped.exitCode()).isEqualTo(128 + 9);
  }

  @Test
  void stopAlsoStopsTheProcessesDescendants() {
    Workload workload = runtime.run(shell("sleep 60 & echo child $!; wait").build());
    long child = Long.parseLong(awaitLog(workload.id(), "child ").substring("child ".length()));
    ProcessHandle grandchild = ProcessHandle.of(child).orElseThrow();
    harness.killOnClose(grandchild);

    runtime.stop(workload.id(), PATIENCE);

    assertThat(ProcessIdentity.running(grandchild)).isFalse();
  }

  @Test
  void stopOfAStoppedProcessDoesNothing() {
    List<RuntimeEvent> events = events(runtime);
    Workload workload = runtime.run(shell("exec sleep 60").build());
    runtime.stop(workload.id(), PATIENCE);

    runtime.stop(workload.id(), PATIENCE);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .extracting(RuntimeEvent::type)
                    .containsExactly(RuntimeEvent.Type.STARTED, RuntimeEvent.Type.DIED));
    assertThat(runtime.inspect(workload.id()).orElseThrow().exitCode()).isEqualTo(128 + 15);
  }

  @Test
  void removeKillsTheProcessAndDeletesItsDirectoryAndLogs() {
    List<RuntimeEvent> events = events(runtime);
    Workload workload = runtime.run(shell("trap '' TERM; echo ready; exec sleep 60").build());
    awaitLog(workload.id(), "ready");
    ProcessIdentity process = harness.recordOf(workload.id()).identity();

    runtime.remove(workload.id());

    assertThat(process.alive()).isFalse();
    assertThat(harness.directoryOf(workload.id())).doesNotExist();
    assertThat(runtime.inspect(workload.id())).isEmpty();
    assertThat(runtime.list()).isEmpty();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events)
                    .extracting(RuntimeEvent::type)
                    .containsExactly(
                        RuntimeEvent.Type.STARTED,
                        RuntimeEvent.Type.DIED,
                        RuntimeEvent.Type.REMOVED));
  }

  @Test
  void operationsOnAnUnknownIdAreNotFoundAndItsRemovalDoesNothing() {
    for (String id : List.of("proc-000000000000", "ctr-1234", "../../etc", "")) {
      assertThat(runtime.inspect(id)).isEmpty();
      assertNotFound(() -> runtime.start(id));
      assertNotFound(() -> runtime.stop(id, Duration.ZERO));
      assertNotFound(() -> runtime.logs(id, 10, false));
      runtime.remove(id);
    }
    assertThat(harness.directories()).isEmpty();
  }

  @Test
  void aRemovedWorkloadIsUnknownAndRemovingItAgainDoesNothing() {
    Workload workload = runtime.run(shell("exit 0").build());
    runtime.remove(workload.id());

    assertNotFound(() -> runtime.start(workload.id()));
    runtime.remove(workload.id());
    assertThat(runtime.inspect(workload.id())).isEmpty();
  }

  @Test
  void listReturnsEveryWorkloadRunningOrNot() throws IOException {
    Workload running = runtime.run(shell("exec sleep 60").build());
    Workload exited = runtime.run(shell("exit 0").build());
    Files.createDirectory(harness.root.resolve("not-a-workload"));
    await()
        .atMost(PATIENCE)
        .until(() -> runtime.inspect(exited.id()).orElseThrow().state() == WorkloadState.EXITED);

    assertThat(runtime.list())
        .extracting(Workload::id, Workload::state)
        .containsExactlyInAnyOrder(
            tuple(running.id(), WorkloadState.RUNNING), tuple(exited.id(), WorkloadState.EXITED));
  }

  @Test
  void ensureImageOnlyChecksThatTheProgramIsThere() {
    runtime.ensureImage((String) null, PullPolicy.ALWAYS);
    runtime.ensureImage("/bin/sh", PullPolicy.NEVER);
    runtime.ensureImage("sh", PullPolicy.IF_ABSENT);
    runtime.ensureImage(shell("true").build(), PullPolicy.ALWAYS);

    for (WorkloadSpec missing :
        List.of(
            WorkloadSpec.builder("ghost", WorkloadKind.PROCESS)
                .executable("/nonexistent/ghost")
                .build(),
            WorkloadSpec.builder("ghost", WorkloadKind.PROCESS)
                .executable("sh")
                .env("PATH", "/nonexistent")
                .build())) {
      assertThatThrownBy(() -> runtime.ensureImage(missing, PullPolicy.IF_ABSENT))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              failure -> assertThat(failure.reason()).isEqualTo(Reason.EXECUTABLE_NOT_FOUND));
    }
  }

  /** Waits until the output holds a line starting with {@code prefix}, and returns that line. */
  private String awaitLog(String id, String prefix) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> runtime.logs(id, 100, false).filter(line -> line.startsWith(prefix)).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static void assertNotFound(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> assertThat(failure.reason()).isEqualTo(Reason.NOT_FOUND));
  }
}
