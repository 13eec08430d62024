package dev.berth.reconcilers.metrics;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A runtime whose calls are timed: {@code berth_runtime_operation_duration_seconds{runtime,
 * operation}} (a histogram) and {@code berth_runtime_operation_errors_total{runtime,operation}},
 * one series per runtime and operation, whatever the workload, so that the series stay as few as
 * the runtimes. Wrap each runtime before merging them, so that {@code runtime} names the one that
 * did the work. Streams ({@link #logs}, {@link #watch}) are passed through untimed: their length is
 * the reader's, not the runtime's.
 */
public final class TimedRuntime implements WorkloadRuntime {

  /** What is timed; the {@code operation} label is the name in lower case. */
  enum Operation {
    ENSURE_IMAGE,
    RUN,
    START,
    STOP,
    REMOVE,
    INSPECT,
    LIST;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** From a cached inspect to pulling an image or stopping a workload with a grace period. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private final WorkloadRuntime runtime;
  private final Map<Operation, Timer> timers = new EnumMap<>(Operation.class);
  private final Map<Operation, Counter> errors = new EnumMap<>(Operation.class);

  private TimedRuntime(WorkloadRuntime runtime, MeterRegistry meters) {
    this.runtime = runtime;
    for (Operation operation : Operation.values()) {
      timers.put(
          operation,
          Timer.builder("berth.runtime.operation.duration")
              .description("How long a call of the runtime takes, failed ones included")
              .tag("runtime", runtime.name())
              .tag("operation", operation.label())
              .serviceLevelObjectives(BUCKETS)
              .register(meters));
      errors.put(
          operation,
          Counter.builder("berth.runtime.operation.errors")
              .description("Calls of the runtime that failed")
              .tag("runtime", runtime.name())
              .tag("operation", operation.label())
              .register(meters));
    }
  }

  /**
   * {@code runtime} timed into {@code meters}; {@code runtime} itself when {@code meters} is null.
   */
  public static WorkloadRuntime of(WorkloadRuntime runtime, MeterRegistry meters) {
    Objects.requireNonNull(runtime, "runtime");
    return meters == null ? runtime : new TimedRuntime(runtime, meters);
  }

  @Override
  public String name() {
    return runtime.name();
  }

  @Override
  public Set<WorkloadKind> kinds() {
    return runtime.kinds();
  }

  @Override
  public void ensureImage(String image, PullPolicy policy) {
    time(Operation.ENSURE_IMAGE, () -> runtime.ensureImage(image, policy));
  }

  @Override
  public void ensureImage(WorkloadSpec spec, PullPolicy policy) {
    time(Operation.ENSURE_IMAGE, () -> runtime.ensureImage(spec, policy));
  }

  @Override
  public Workload run(WorkloadSpec spec) {
    return time(Operation.RUN, () -> runtime.run(spec));
  }

  @Override
  public void start(String id) {
    time(Operation.START, () -> runtime.start(id));
  }

  @Override
  public void stop(String id, Duration timeout) {
    time(Operation.STOP, () -> runtime.stop(id, timeout));
  }

  @Override
  public void remove(String id) {
    time(Operation.REMOVE, () -> runtime.remove(id));
  }

  @Override
  public Optional<Workload> inspect(String id) {
    return time(Operation.INSPECT, () -> runtime.inspect(id));
  }

  @Override
  public List<Workload> list() {
    return time(Operation.LIST, runtime::list);
  }

  @Override
  public Stream<String> logs(String id, int tail, boolean follow) {
    return runtime.logs(id, tail, follow);
  }

  @Override
  public boolean keepsLogTimes(String id) {
    return runtime.keepsLogTimes(id);
  }

  @Override
  public Stream<dev.berth.runtime.TimedLine> timedLogs(
      String id, int tail, boolean follow, java.time.Instant since) {
    return runtime.timedLogs(id, tail, follow, since);
  }

  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return runtime.watch(listener);
  }

  @Override
  public void close() {
    runtime.close();
  }

  /** The runtime timed: for messages and tests. */
  public WorkloadRuntime timed() {
    return runtime;
  }

  private void time(Operation operation, Runnable call) {
    time(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  private <T> T time(Operation operation, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException | Error e) {
      errors.get(operation).increment();
      throw e;
    } finally {
      timers.get(operation).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
