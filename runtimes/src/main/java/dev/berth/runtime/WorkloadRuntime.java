package dev.berth.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Runtime SPI: Berth's hands and eyes on the node. One implementation per way of running
 * workloads (podman, QEMU, host processes, an in-memory fake), and a merged view over several.
 *
 * <p>Operations are idempotent where a reconciler may repeat them after a crash or a lost answer:
 * starting a running workload, stopping a stopped one and removing one that is gone succeed and do
 * nothing (removal as podman's {@code rm --force} and the kubelet's container removal). An
 * operation on an id the runtime does not know fails with {@link RuntimeFailure.Reason#NOT_FOUND}
 * (except {@link #remove}). Failures are {@link RuntimeFailure}s whose reason says whether retrying
 * can help. Implementations are thread-safe. {@code WorkloadRuntimeContract}, a test run against
 * every implementation, checks what is written here.
 */
public interface WorkloadRuntime extends AutoCloseable {

  /** A short name for messages and metrics: {@code podman}, {@code process}, {@code qemu}. */
  String name();

  /** The kinds of workload this runtime runs. */
  Set<WorkloadKind> kinds();

  /**
   * Makes sure the image is on the node, fetching it as the policy says.
   *
   * @throws RuntimeFailure IMAGE_MISSING if it is absent and could not or may not be fetched
   */
  void ensureImage(String image, PullPolicy policy);

  /**
   * Makes sure what {@code spec} runs is on the node. By default that is its image; a merged view
   * uses the spec's kind to pick the runtime.
   */
  default void ensureImage(WorkloadSpec spec, PullPolicy policy) {
    ensureImage(spec.image(), policy);
  }

  /**
   * Creates and starts a workload; returns it as observed right after (running). Tells STARTED (a
   * runtime may tell CREATED before it). A run that fails leaves nothing behind.
   *
   * @throws RuntimeFailure INVALID_SPEC if the runtime cannot run what the spec asks (a kind it
   *     does not serve included), IMAGE_MISSING or EXECUTABLE_NOT_FOUND if what it runs is not on
   *     the node, PORT_TAKEN if a host port is held, NAME_IN_USE if a stranger holds its name, and
   *     UNAVAILABLE or FAILED as the runtime fails
   */
  Workload run(WorkloadSpec spec);

  /**
   * Starts a created or exited workload, telling STARTED; nothing if it runs.
   *
   * @throws RuntimeFailure NOT_FOUND if there is no such workload; as {@link #run} otherwise
   */
  void start(String id);

  /**
   * Asks the workload to stop, forces it after {@code timeout}, and returns once it is stopped
   * (exited), telling DIED; nothing if it is stopped.
   *
   * @throws RuntimeFailure NOT_FOUND if there is no such workload
   */
  void stop(String id, Duration timeout);

  /**
   * Removes a workload, stopping it forcefully first if it still runs (telling DIED), and tells
   * REMOVED; afterwards {@link #inspect} and {@link #list} no longer show it. Nothing if the
   * workload is gone already, or was never there: a removal repeated after a crash or a lost answer
   * succeeds.
   *
   * @throws RuntimeFailure UNAVAILABLE or FAILED if the workload is there and could not be removed
   */
  void remove(String id);

  /** The workload as observed now; empty if the runtime does not know it (never NOT_FOUND). */
  Optional<Workload> inspect(String id);

  /**
   * Every workload the runtime knows, each with its labels: Berth's (see {@link
   * dev.berth.spec.identity.Labels}) and everything else, so that unlabelled workloads can be
   * adopted as ignored. Callers select by labels, never by name.
   *
   * @throws RuntimeFailure if the runtime cannot tell (UNAVAILABLE when it is down): never a
   *     partial list
   */
  List<Workload> list();

  /**
   * The workload's output: the last {@code tail} lines, then, if {@code follow}, new lines as they
   * come until the stream is closed. Always close it.
   *
   * @throws RuntimeFailure NOT_FOUND if there is no such workload
   */
  Stream<String> logs(String id, int tail, boolean follow);

  /**
   * Whether this runtime records when each line of the workload's output was written, so that
   * {@link #timedLogs} can answer: podman does; the process and QEMU runtimes keep the output as it
   * was written, without times, and do not.
   */
  default boolean keepsLogTimes(String id) {
    return false;
  }

  /**
   * The workload's output as {@link #logs}, each line with the time it was written, only those
   * written at or after {@code since} (null for all; {@code tail} counts among those). Only where
   * {@link #keepsLogTimes} says so.
   *
   * @throws RuntimeFailure NOT_FOUND if there is no such workload
   * @throws UnsupportedOperationException where {@link #keepsLogTimes} is false
   */
  default Stream<TimedLine> timedLogs(
      String id, int tail, boolean follow, java.time.Instant since) {
    throw new UnsupportedOperationException(name() + " keeps no times for log lines");
  }

  /**
   * Calls {@code listener} for every change the runtime sees, from a thread of the runtime's, until
   * the returned handle is closed. The events of one workload come in the order of its changes, one
   * per change: STARTED, DIED (with the exit code when known), REMOVED (OOM before the DIED of an
   * out-of-memory kill); an operation that changes nothing tells nothing. Missed events are
   * possible (a restart of the source); reconcilers relist periodically anyway.
   */
  AutoCloseable watch(Consumer<RuntimeEvent> listener);

  /** Releases what the runtime holds (event streams, threads); workloads keep running. */
  @Override
  default void close() {}
}
