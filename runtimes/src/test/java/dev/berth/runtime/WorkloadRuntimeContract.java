package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.RuntimeFailure.Reason;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkloadRuntime} does, whatever it runs: the semantics its Javadoc states, one
 * test each, so that a reconciler written against one runtime works against all. A subclass per
 * runtime opens the runtime and says what a workload that runs until it is stopped is there.
 *
 * <p>Each test marks what it creates with a label of its own ({@link #TEST_LABEL}), so that it sees
 * only its own workloads on a runtime that holds others (podman's), and every test removes what it
 * created, also when it fails.
 */
public abstract class WorkloadRuntimeContract {

  /** The label whose value is unique to one test: what it lists by. */
  protected static final String TEST_LABEL = "berth.contract";

  /** A ceiling for anything awaited: a loaded machine is slow, not wrong. */
  protected static final Duration PATIENCE = Duration.ofSeconds(60);

  /** How long a stop may ask nicely; long enough for a workload that honours it. */
  protected static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

  private final String testId = UUID.randomUUID().toString().substring(0, 8);
  private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
  private WorkloadRuntime runtime;
  private AutoCloseable watch;

  /** The runtime under test, new for each test. */
  protected abstract WorkloadRuntime open() throws Exception;

  /**
   * A workload of the runtime's kind that runs until it is stopped and stops within {@link
   * #STOP_TIMEOUT}, named {@code name} (unique on the node for this test); labels come on top.
   */
  protected abstract WorkloadSpec.Builder longRunning(String name);

  /**
   * A workload like {@link #longRunning} but for what it runs (image, kernel or program), which is
   * not on the node.
   */
  protected abstract WorkloadSpec.Builder absent(String name);

  /** The reason a run of {@link #absent} fails with. */
  protected Reason absentReason() {
    return Reason.IMAGE_MISSING;
  }

  /** An id of the runtime's own form that names no workload. */
  protected abstract String unknownId();

  /** Closes the runtime and removes whatever the test left; runs even when a test fails. */
  protected abstract void cleanUp(WorkloadRuntime runtime) throws Exception;

  @BeforeEach
  void openRuntime() throws Exception {
    runtime = open();
    watch = runtime.watch(events::add);
  }

  @AfterEach
  void closeRuntime() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (runtime == null) {
      return;
    }
    try {
      for (Workload left : mine(runtime.list())) {
        runtime.remove(left.id());
      }
    } finally {
      cleanUp(runtime);
    }
  }

  @Test
  public void aWorkloadRunsStopsStartsAgainAndIsRemoved() {
    Workload run = runtime.run(workload("cycle"));

    assertThat(run.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(run.name()).isEqualTo(name("cycle"));
    assertThat(run.labels()).containsEntry(TEST_LABEL, testId);
    assertThat(run.kind()).isIn(runtime.kinds());
    assertThat(state(run.id())).isEqualTo(WorkloadState.RUNNING);

    runtime.stop(run.id(), STOP_TIMEOUT);
    assertThat(state(run.id())).isEqualTo(WorkloadState.EXITED);

    runtime.start(run.id());
    assertThat(state(run.id())).isEqualTo(WorkloadState.RUNNING);

    runtime.remove(run.id());
    assertThat(runtime.inspect(run.id())).isEmpty();
    assertThat(mine(runtime.list())).isEmpty();
  }

  @Test
  public void startingARunningWorkloadAndStoppingAStoppedOneDoNothing() {
    Workload run = runtime.run(workload("idempotent"));

    runtime.start(run.id());
    Workload running = runtime.inspect(run.id()).orElseThrow();
    assertThat(running.state()).isEqualTo(WorkloadState.RUNNING);
    assertThat(running.startedAt()).isEqualTo(run.startedAt());

    runtime.stop(run.id(), STOP_TIMEOUT);
    Workload stopped = runtime.inspect(run.id()).orElseThrow();
    runtime.stop(run.id(), STOP_TIMEOUT);
    assertThat(runtime.inspect(run.id()).orElseThrow())
        .returns(WorkloadState.EXITED, Workload::state)
        .returns(stopped.exitCode(), Workload::exitCode);
  }

  @Test
  public void removingAWorkloadThatIsGoneSucceeds() {
    Workload run = runtime.run(workload("removed-twice"));
    runtime.remove(run.id());

    runtime.remove(run.id());
    runtime.remove(unknownId());

    assertThat(runtime.inspect(run.id())).isEmpty();
  }

  @Test
  public void removingARunningWorkloadStopsIt() {
    Workload run = runtime.run(workload("removed-running"));

    runtime.remove(run.id());

    assertThat(runtime.inspect(run.id())).isEmpty();
    await().atMost(PATIENCE).until(() -> types(run.id()).contains(RuntimeEvent.Type.REMOVED));
    assertThat(types(run.id()))
        .containsSubsequence(RuntimeEvent.Type.DIED, RuntimeEvent.Type.REMOVED);
  }

  @Test
  public void eventsTellEachChangeOnceAndInOrder() {
    Workload run = runtime.run(workload("watched"));
    runtime.start(run.id()); // running: nothing to tell
    runtime.stop(run.id(), STOP_TIMEOUT);
    runtime.stop(run.id(), STOP_TIMEOUT); // stopped: nothing to tell
    runtime.remove(run.id());
    runtime.remove(run.id()); // gone: nothing to tell

    // REMOVED is the last change: once it is here, everything before it is too.
    await().atMost(PATIENCE).until(() -> types(run.id()).contains(RuntimeEvent.Type.REMOVED));
    assertThat(types(run.id()))
        .as("CREATED is optional, and first if a runtime tells it")
        .filteredOn(type -> type != RuntimeEvent.Type.CREATED)
        .containsExactly(
            RuntimeEvent.Type.STARTED, RuntimeEvent.Type.DIED, RuntimeEvent.Type.REMOVED);
    assertThat(types(run.id()).indexOf(RuntimeEvent.Type.CREATED)).isLessThanOrEqualTo(0);
    assertThat(eventsOf(run.id()))
        .allSatisfy(
            event -> {
              assertThat(event.name()).isEqualTo(name("watched"));
              assertThat(event.labels()).containsEntry(TEST_LABEL, testId);
              assertThat(event.kind()).isEqualTo(run.kind());
            });
  }

  @Test
  public void aListHoldsEveryWorkloadWithItsLabels() {
    Workload first = runtime.run(workload("first", Map.of("role", "a")));
    Workload second = runtime.run(workload("second", Map.of("role", "b")));
    runtime.stop(second.id(), STOP_TIMEOUT);

    assertThat(mine(runtime.list()))
        .extracting(Workload::id, Workload::name, w -> w.labels().get("role"), Workload::state)
        .containsExactlyInAnyOrder(
            tuple(first.id(), name("first"), "a", WorkloadState.RUNNING),
            tuple(second.id(), name("second"), "b", WorkloadState.EXITED));

    runtime.remove(first.id());
    assertThat(mine(runtime.list())).extracting(Workload::id).containsExactly(second.id());
  }

  @Test
  public void anUnknownIdIsNotFoundExceptToRemove() {
    for (String unknown : List.of(unknownId(), "nobody")) {
      assertThat(runtime.inspect(unknown)).as(unknown).isEmpty();
      assertFailure(() -> runtime.start(unknown), Reason.NOT_FOUND);
      assertFailure(() -> runtime.stop(unknown, STOP_TIMEOUT), Reason.NOT_FOUND);
      assertFailure(() -> runtime.logs(unknown, 10, false).close(), Reason.NOT_FOUND);
      runtime.remove(unknown);
    }
  }

  @Test
  public void aWorkloadOfAKindTheRuntimeDoesNotRunIsAnInvalidSpecAndLeavesNothing() {
    WorkloadKind other =
        Arrays.stream(WorkloadKind.values())
            .filter(Predicate.not(runtime.kinds()::contains))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the test runtime must not serve every kind"));
    WorkloadSpec spec = workload("wrong-kind");
    WorkloadSpec wrong =
        WorkloadSpec.builder(spec.name(), other)
            .image(spec.image())
            .executable(spec.executable())
            .args(spec.args())
            .labels(spec.labels())
            .build();

    assertFailure(() -> runtime.run(wrong), Reason.INVALID_SPEC);
    assertThat(mine(runtime.list())).isEmpty();
  }

  @Test
  public void aRunThatCannotFindWhatItRunsSaysSoAndLeavesNothingBehind() {
    WorkloadSpec missing = absent(name("absent")).label(TEST_LABEL, testId).build();

    assertFailure(() -> runtime.ensureImage(missing, PullPolicy.NEVER), absentReason());
    assertFailure(() -> runtime.run(missing), absentReason());

    assertThat(mine(runtime.list())).isEmpty();
    // Not even its name is held.
    assertThat(runtime.run(workload("absent")).state()).isEqualTo(WorkloadState.RUNNING);
  }

  // --- helpers ---

  private WorkloadSpec workload(String name) {
    return workload(name, Map.of());
  }

  private WorkloadSpec workload(String name, Map<String, String> labels) {
    WorkloadSpec.Builder builder = longRunning(name(name)).label(TEST_LABEL, testId);
    labels.forEach(builder::label);
    return builder.build();
  }

  /**
   * The workload's name on the node: unique to this test, so that runs side by side never clash.
   */
  protected final String name(String name) {
    return "contract-" + name + "-" + testId;
  }

  private List<Workload> mine(List<Workload> listed) {
    return listed.stream().filter(w -> testId.equals(w.labels().get(TEST_LABEL))).toList();
  }

  private WorkloadState state(String id) {
    return runtime.inspect(id).orElseThrow().state();
  }

  private List<RuntimeEvent> eventsOf(String id) {
    return events.stream().filter(event -> event.workloadId().equals(id)).toList();
  }

  private List<RuntimeEvent.Type> types(String id) {
    return eventsOf(id).stream().map(RuntimeEvent::type).toList();
  }

  private static void assertFailure(ThrowingCallable call, Reason reason) {
    assertThat(catchThrowable(call))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, failure -> assertThat(failure.reason()).isEqualTo(reason));
  }
}
