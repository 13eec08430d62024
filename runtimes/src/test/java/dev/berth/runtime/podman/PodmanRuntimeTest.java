package dev.berth.runtime.podman;

import static dev.berth.runtime.podman.PodmanTestEnvironment.LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeEvent.Type;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.RuntimeRestartPolicy;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.spec.identity.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podman runtime against a real podman: busybox containers built on the spot, ports on
 * 127.0.0.1 only. Every container carries {@link PodmanTestEnvironment#LABEL} and is removed after
 * each test, whatever its outcome; the image goes after the last test.
 */
@Timeout(60)
class PodmanRuntimeTest {

  private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

  private static PodmanTestEnvironment env;
  private static PodmanRuntime runtime;

  private final List<AutoCloseable> watches = new ArrayList<>();

  @BeforeAll
  static void startPodman() throws IOException {
    env = PodmanTestEnvironment.start();
    runtime = new PodmanRuntime(env.config());
  }

  @AfterEach
  void removeWhatTheTestCreated() throws Exception {
    for (AutoCloseable watch : watches) {
      watch.close();
    }
    env.removeContainers();
  }

  @AfterAll
  static void stopPodman() throws IOException {
    if (runtime != null) {
      runtime.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void servesAPageFromAReadOnlyVolumeOnAPublishedLoopbackPort(@TempDir Path www) throws Exception {
    Files.writeString(www.resolve("index.html"), "from a volume\n");
    int port = freePort();

    Workload web =
        runtime.run(
            berths("web")
                .args("httpd", "-f", "-p", "8080", "-h", "/srv")
                .mounts(List.of(new Mount(www.toString(), "/srv", true)))
                .ports(new PortBinding("http", "127.0.0.1", port, 8080))
                .build());

    assertThat(web.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(web.ports()).containsExactly(new PortBinding(null, "127.0.0.1", port, 8080));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(port, "/index.html")).isEqualTo("from a volume\n"));
  }

  @Test
  void inspectReportsTheContainerAsDeclared() {
    int port = freePort();
    Instant before = Instant.now().minusSeconds(2);

    Workload run =
        runtime.run(
            berths("inspected")
                .label("extra", "yes")
                .args("sleep", "300")
                .ports(new PortBinding(null, "127.0.0.1", port, 9000))
                .build());
    Workload seen = runtime.inspect(run.id()).orElseThrow();

    assertThat(seen.id()).isEqualTo(run.id()).hasSize(64);
    assertThat(seen.name()).isEqualTo(name("inspected"));
    assertThat(seen.labels())
        .containsEntry(Labels.SERVICE, "podman-test")
        .containsEntry(Labels.COMPONENT, "inspected")
        .containsEntry("extra", "yes");
    assertThat(seen.managed()).isTrue();
    assertThat(seen.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(seen.exitCode()).isNull();
    assertThat(seen.startedAt()).isBetween(before, Instant.now().plusSeconds(2));
    assertThat(seen.image()).isEqualTo(env.image());
    assertThat(seen.ports()).containsExactly(new PortBinding(null, "127.0.0.1", port, 9000));
    assertThat(seen.kind()).isEqualTo(WorkloadKind.CONTAINER);
    assertThat(runtime.inspect(seen.name())).map(Workload::id).contains(seen.id());
  }

  @Test
  void aContainerThatExitsReportsItsExitCode() {
    Workload quitter = runtime.run(berths("quitter").args("sh", "-c", "exit 3").build());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.inspect(quitter.id()).orElseThrow().state() == WorkloadState.EXITED);
    assertThat(runtime.inspect(quitter.id()).orElseThrow().exitCode()).isEqualTo(3);
    assertThat(runtime.list())
        .filteredOn(workload -> workload.id().equals(quitter.id()))
        .singleElement()
        .satisfies(
            workload -> {
              assertThat(workload.state()).isEqualTo(WorkloadState.EXITED);
              assertThat(workload.exitCode()).isEqualTo(3);
            });
  }

  @Test
  void listShowsBerthsContainersAndUnlabelledOnesToAdopt() throws IOException {
    Workload ours = runtime.run(berths("listed").args("sleep", "300").build());
    String strangerId =
        env.host()
            .run(
                "create",
                "--name=" + name("stranger"),
                "--label=" + LABEL + "=" + env.runId(),
                env.image(),
                "sleep",
                "300")
            .strip();

    List<Workload> all = runtime.list();

    List<Workload> thisRun =
        all.stream().filter(w -> env.runId().equals(w.labels().get(LABEL))).toList();
    assertThat(thisRun).extracting(Workload::id).containsExactlyInAnyOrder(ours.id(), strangerId);
    assertThat(thisRun)
        .filteredOn(Workload::managed)
        .singleElement()
        .satisfies(
            workload -> {
              assertThat(workload.component()).isEqualTo("listed");
              assertThat(workload.state()).isEqualTo(WorkloadState.RUNNING);
            });
    assertThat(thisRun)
        .filteredOn(workload -> !workload.managed())
        .singleElement()
        .satisfies(
            stranger -> {
              assertThat(stranger.name()).isEqualTo(name("stranger"));
              assertThat(stranger.state()).isEqualTo(WorkloadState.CREATED);
            });
  }

  @Test
  void argsEnvAndUserReachTheContainerAndItsOutputIsItsLog() {
    Workload talker =
        runtime.run(
            berths("talker")
                .env("GREETING", "hello")
                .env("VERSES", "one\ntwo") // a line break: on the command line, not in the file
                .user("1000:1000")
                // conmon logs a burst of stdout before a burst of stderr, whatever their order:
                // the pause puts the stderr line first for sure
                .args(
                    "sh",
                    "-c",
                    "echo to-stderr >&2; sleep 0.5; echo \"$GREETING from $(id -u)\";"
                        + " echo \"$VERSES\"; echo last; sleep 300")
                .build());

    await().atMost(Duration.ofSeconds(10)).until(() -> logs(talker.id(), -1).contains("last"));
    assertThat(logs(talker.id(), 100))
        .containsExactly("to-stderr", "hello from 1000", "one", "two", "last");
    assertThat(logs(talker.id(), 1)).containsExactly("last");
  }

  @Test
  void timedLogsGiveEachLinesTimeAndSinceLeavesOutTheLinesBefore() throws Exception {
    java.time.Instant before = java.time.Instant.now();
    Workload ticker =
        runtime.run(
            berths("timed")
                .args("sh", "-c", "echo early; sleep 1.5; echo late; sleep 300")
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> logs(ticker.id(), -1).contains("late"));
    java.time.Instant after = java.time.Instant.now();

    List<dev.berth.runtime.TimedLine> all;
    try (var lines = runtime.timedLogs(ticker.id(), -1, false, null)) {
      all = lines.toList();
    }
    assertThat(all).extracting(dev.berth.runtime.TimedLine::text).containsExactly("early", "late");
    assertThat(all)
        .allSatisfy(line -> assertThat(line.time()).isBetween(before.minusSeconds(1), after));
    assertThat(all.get(1).time()).isAfterOrEqualTo(all.get(0).time().plusSeconds(1));
    assertThat(runtime.keepsLogTimes(ticker.id())).isTrue();

    java.time.Instant between = all.get(0).time().plusMillis(500);
    try (var lines = runtime.timedLogs(ticker.id(), -1, false, between)) {
      assertThat(lines.map(dev.berth.runtime.TimedLine::text).toList()).containsExactly("late");
    }
  }

  @Test
  void aSecretReachesTheContainersEnvironmentAndNoFileIsLeftBehind() throws IOException {
    String value = "s3cret-" + System.nanoTime();

    Workload holder =
        runtime.run(
            berths("secret")
                .secret(new SecretVariable("DB_PASSWORD", "test-file", "sha256:unused", value))
                // The length alone goes to the log: the value must reach no log.
                .args("sh", "-c", "echo \"length ${#DB_PASSWORD}\"; sleep 300")
                .build());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> logs(holder.id(), -1).contains("length " + value.length()));
    assertThat(scratchFilesHolding(value)).as("the run's private env file is gone").isEmpty();
  }

  /** Files of the podman runtime's private directories of runs that hold {@code text}. */
  private static List<Path> scratchFilesHolding(String text) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("berth-podman-run"))
          .flatMap(
              directory -> {
                try (Stream<Path> files = Files.list(directory)) {
                  return files.toList().stream();
                } catch (IOException e) {
                  return Stream.of(); // another run's, gone meanwhile
                }
              })
          .filter(
              file -> {
                try {
                  return Files.readString(file).contains(text);
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }

  @Test
  void followingALogSeesNewLinesAndClosingItEndsPodmanLogs() throws Exception {
    Workload ticker =
        runtime.run(
            berths("ticker")
                .args("sh", "-c", "echo first; sleep 1; echo second; sleep 300")
                .build());
    List<String> seen = new CopyOnWriteArrayList<>();

    Stream<String> log = runtime.logs(ticker.id(), 10, true);
    Thread reader = new Thread(() -> log.forEach(seen::add));
    reader.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("second"));
    assertThat(seen).containsSubsequence("first", "second");
    log.close();
    reader.join(5_000);
    assertThat(reader.isAlive()).as("the reader saw the end of the log").isFalse();
  }

  @Test
  void eventsReportARunAndAKillBehindTheRuntimesBackAndTheRemoval() throws IOException {
    Recorder events = watch();

    Workload watched = runtime.run(berths("watched").args("sleep", "300").build());
    events.await(Type.CREATED, watched.id());
    RuntimeEvent started = events.await(Type.STARTED, watched.id());
    assertThat(started.name()).isEqualTo(name("watched"));
    assertThat(started.labels()).containsEntry(Labels.COMPONENT, "watched");
    assertThat(started.kind()).isEqualTo(WorkloadKind.CONTAINER);

    env.host().run("kill", watched.id());
    RuntimeEvent died = events.await(Type.DIED, watched.id());
    assertThat(died.exitCode()).isEqualTo(137);
    Workload dead = runtime.inspect(watched.id()).orElseThrow();
    assertThat(dead.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(dead.exitCode()).isEqualTo(137);

    runtime.remove(watched.id());
    events.await(Type.REMOVED, watched.id());
    assertThat(runtime.inspect(watched.id())).isEmpty();
  }

  @Test
  void theEventsProcessRunsOnlyWhileWatchedAndComesBackWhenKilled() throws Exception {
    assertThat(runtime.eventsRunning()).isFalse();
    Recorder events = new Recorder();
    AutoCloseable watch = runtime.watch(events);
    watches.add(watch);
    ProcessHandle first = awaitEventsProcess();

    first.destroyForcibly();
    // Run at once, before the stream is back: it resumes from the last event it saw.
    Workload during = runtime.run(berths("during-restart").args("sleep", "300").build());
    events.await(Type.STARTED, during.id());
    ProcessHandle second =
        await()
            .atMost(EVENT_WAIT)
            .until(
                runtime::eventsProcess,
                process -> process.isPresent() && process.get().pid() != first.pid())
            .orElseThrow();

    Workload after = runtime.run(berths("after-restart").args("sleep", "300").build());
    events.await(Type.STARTED, after.id());
    assertThat(events.all)
        .filteredOn(event -> event.workloadId().equals(during.id()))
        .filteredOn(event -> event.type() == Type.STARTED)
        .as("delivered once, though the restarted stream read it again")
        .hasSize(1);

    watch.close();
    assertThat(runtime.eventsRunning()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> !second.isAlive());
  }

  @Test
  void startAndStopAreSafeToRepeatAndRemoveForcesARunningContainer() {
    Workload sleeper = runtime.run(berths("sleeper").args("sleep", "300").build());

    runtime.start(sleeper.id());
    assertThat(state(sleeper)).isEqualTo(WorkloadState.RUNNING);

    runtime.stop(sleeper.id(), Duration.ofSeconds(2));
    assertThat(state(sleeper)).isEqualTo(WorkloadState.EXITED);
    runtime.stop(sleeper.id(), Duration.ofSeconds(2));
    assertThat(state(sleeper)).isEqualTo(WorkloadState.EXITED);

    runtime.start(sleeper.id());
    assertThat(state(sleeper)).isEqualTo(WorkloadState.RUNNING);

    runtime.remove(sleeper.id());
    assertThat(runtime.inspect(sleeper.id())).isEmpty();
    runtime.remove(sleeper.id());
  }

  @Test
  void resourceLimitsAndTheRestartPolicyReachPodman() throws IOException {
    Workload limited =
        runtime.run(
            berths("limited")
                .args("sleep", "300")
                .memoryMb(64)
                .vcpus(1)
                .restart(RuntimeRestartPolicy.ON_FAILURE)
                .build());

    assertThat(
            env.host()
                .run(
                    "container",
                    "inspect",
                    "--format={{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}"
                        + " {{.HostConfig.RestartPolicy.Name}}",
                    limited.id())
                .strip())
        .isEqualTo("67108864 1000000000 on-failure");
  }

  @Test
  void aMissingImageIsImageMissingUnlessPulled() {
    String missing = "localhost/berth-test-missing:" + env.runId();

    RuntimeFailure run =
        failure(() -> runtime.run(berths("imageless").image(missing).args("true").build()));
    assertThat(run.reason()).isEqualTo(Reason.IMAGE_MISSING);
    assertThat(run.runtimeMessage()).contains("image not known");
    assertThat(failure(() -> runtime.ensureImage(missing, PullPolicy.NEVER)).reason())
        .isEqualTo(Reason.IMAGE_MISSING);

    runtime.ensureImage(env.image(), PullPolicy.NEVER);
    runtime.ensureImage(env.image(), PullPolicy.IF_ABSENT);
  }

  @Test
  void aPullThatFailsIsImageMissingWithPodmansMessage() {
    String unreachable = "127.0.0.1:" + freePort() + "/berth/none:1";

    RuntimeFailure failure = failure(() -> runtime.ensureImage(unreachable, PullPolicy.IF_ABSENT));

    assertThat(failure.reason()).isEqualTo(Reason.IMAGE_MISSING);
    assertThat(failure.runtimeMessage()).startsWith("Error: ").contains(unreachable);
  }

  @Test
  void aTakenPortIsPortTakenAndLeavesNoContainerHoldingTheName() throws IOException {
    WorkloadSpec.Builder spec = berths("blocked").args("sleep", "300");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      RuntimeFailure failure =
          failure(
              () ->
                  runtime.run(
                      spec.ports(new PortBinding(null, "127.0.0.1", taken.getLocalPort(), 8080))
                          .build()));

      assertThat(failure.reason()).isEqualTo(Reason.PORT_TAKEN);
      assertThat(failure.runtimeMessage()).contains("address already in use");
    }
    assertThat(runtime.list()).extracting(Workload::name).doesNotContain(name("blocked"));

    Workload retried =
        runtime.run(spec.ports(new PortBinding(null, "127.0.0.1", freePort(), 8080)).build());
    assertThat(retried.running()).isTrue();
  }

  @Test
  void aNameHeldByBerthsOwnContainerIsRetryableAndLeavesItAlone() {
    WorkloadSpec spec = berths("twin").args("sleep", "300").build();
    Workload first = runtime.run(spec);

    RuntimeFailure failure = failure(() -> runtime.run(spec));

    assertThat(failure.reason()).isEqualTo(Reason.FAILED);
    assertThat(failure.retryable()).isTrue();
    assertThat(failure.runtimeMessage()).contains(name("twin")).contains("already in use");
    assertThat(state(first)).isEqualTo(WorkloadState.RUNNING);
  }

  @Test
  void aNameHeldByAContainerBerthDoesNotOwnIsNameInUseAndLeavesItAlone() throws IOException {
    String strangerId =
        env.host()
            .run(
                "run",
                "-d",
                "--name=" + name("taken"),
                "--label=" + LABEL + "=" + env.runId(),
                env.image(),
                "sleep",
                "300")
            .strip();

    RuntimeFailure failure = failure(() -> runtime.run(berths("taken").args("true").build()));

    assertThat(failure.reason()).isEqualTo(Reason.NAME_IN_USE);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.getMessage())
        .contains(strangerId.substring(0, 12))
        .contains("Berth does not own");
    assertThat(failure.runtimeMessage()).contains("already in use");
    assertThat(runtime.inspect(strangerId).orElseThrow().state()).isEqualTo(WorkloadState.RUNNING);
  }

  @Test
  void aSpecThatPodmanRefusesIsInvalidAndLeavesNothingBehind() {
    RuntimeFailure noUser =
        failure(() -> runtime.run(berths("nouser").user("nosuchuser").args("true").build()));
    // Without an init: with one, the init starts fine and the container then exits with 127.
    RuntimeFailure noProgram =
        failure(
            () -> runtime.run(berths("noprogram").init(false).args("/no/such/program").build()));

    assertThat(noUser.reason()).isEqualTo(Reason.INVALID_SPEC);
    assertThat(noUser.runtimeMessage()).contains("nosuchuser");
    assertThat(noProgram.reason()).isEqualTo(Reason.INVALID_SPEC);
    assertThat(runtime.list())
        .extracting(Workload::name)
        .doesNotContain(name("nouser"), name("noprogram"));
  }

  @Test
  void anUnknownContainerIsNotFoundExceptToRemove() {
    String unknown = name("nobody");

    assertThat(runtime.inspect(unknown)).isEmpty();
    assertThat(failure(() -> runtime.start(unknown)).reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(failure(() -> runtime.stop(unknown, Duration.ofSeconds(1))).reason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(failure(() -> runtime.logs(unknown, 10, false)).reason())
        .isEqualTo(Reason.NOT_FOUND);
    runtime.remove(unknown);
  }

  // --- helpers ---

  /** A container of Berth's (with its identity labels) running the test image. */
  private static WorkloadSpec.Builder berths(String component) {
    return WorkloadSpec.builder(name(component), WorkloadKind.CONTAINER)
        .image(env.image())
        .label(Labels.SERVICE, "podman-test")
        .label(Labels.COMPONENT, component)
        .label(LABEL, env.runId())
        // busybox as PID 1 ignores SIGTERM; an init forwards it, so stops are quick
        .init(true);
  }

  /** Names carry the run's id: runs side by side, or a crashed run's leftovers, never clash. */
  private static String name(String component) {
    return "berth-test-" + component + "-" + env.runId();
  }

  private static WorkloadState state(Workload workload) {
    return runtime.inspect(workload.id()).orElseThrow().state();
  }

  private static List<String> logs(String id, int tail) {
    try (Stream<String> lines = runtime.logs(id, tail, false)) {
      return lines.toList();
    }
  }

  private static RuntimeFailure failure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(RuntimeFailure.class);
    return (RuntimeFailure) thrown;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private Recorder watch() {
    Recorder recorder = new Recorder();
    watches.add(runtime.watch(recorder));
    return recorder;
  }

  private static ProcessHandle awaitEventsProcess() {
    return await()
        .atMost(EVENT_WAIT)
        .until(runtime::eventsProcess, Optional::isPresent)
        .orElseThrow();
  }

  /** Keeps every event it is given. */
  private static final class Recorder implements Consumer<RuntimeEvent> {
    final List<RuntimeEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void accept(RuntimeEvent event) {
      all.add(event);
    }

    RuntimeEvent await(Type type, String workloadId) {
      return org.awaitility.Awaitility.await()
          .atMost(EVENT_WAIT)
          .until(
              () ->
                  all.stream()
                      .filter(e -> e.type() == type && e.workloadId().equals(workloadId))
                      .findFirst(),
              Optional::isPresent)
          .orElseThrow();
    }
  }
}
