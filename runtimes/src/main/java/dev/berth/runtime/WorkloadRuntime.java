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
 * <p>Operations are safe to repeat where that makes sense: starting a running workload and stopping
 * a stopped one do nothing. Failures are {@link RuntimeFailure}s whose reason says whether retrying
 * can help. Implementations are thread-safe.
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

  /** Creates and starts a workload; returns it as observed right after. */
  Workload run(WorkloadSpec spec);

  /** Starts a created or exited workload; nothing if it runs. */
  void start(String id);

  /** Asks the workload to stop, and forces it after {@code timeout}; nothing if it is stopped. */
  void stop(String id, Duration timeout);

  /** Removes a workload, stopping it forcefully first if it still runs. */
  void remove(String id);

  /** The workload as observed now, if the runtime knows it. */
  Optional<Workload> inspect(String id);

  /**
   * Every workload the runtime knows: Berth's (see {@link Labels}) and everything else, so that
   * unlabelled workloads can be adopted as ignored.
   */
  List<Workload> list();

  /**
   * The workload's output: the last {@code tail} lines, then, if {@code follow}, new lines as they
   * come until the stream is closed. Always close it.
   */
  Stream<String> logs(String id, int tail, boolean follow);

  /**
   * Calls {@code listener} for every change the runtime sees, from a thread of the runtime's, until
   * the returned handle is closed. Missed events are possible (a restart of the source);
   * reconcilers relist periodically anyway.
   */
  AutoCloseable watch(Consumer<RuntimeEvent> listener);

  /** Releases what the runtime holds (event streams, threads); workloads keep running. */
  @Override
  default void close() {}
}
