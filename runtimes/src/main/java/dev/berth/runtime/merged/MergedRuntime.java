package dev.berth.runtime.merged;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One view over several runtimes: each kind of workload goes to the one runtime that serves it,
 * operations on an id go to the runtime that owns the id, and {@link #list()} merges them all.
 *
 * <p>{@link #list()} fails if any runtime cannot list: a partial list would tell a reconciler that
 * every container vanished when only podman is down, and it would recreate them all.
 */
public final class MergedRuntime implements WorkloadRuntime {

  private static final System.Logger LOG = System.getLogger(MergedRuntime.class.getName());

  private final List<WorkloadRuntime> runtimes;
  private final Map<WorkloadKind, WorkloadRuntime> byKind = new EnumMap<>(WorkloadKind.class);

  /** Which runtime owns an id, learnt from run, inspect and list; probed on a miss. */
  private final Map<String, WorkloadRuntime> owners = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException if two runtimes serve the same kind
   */
  public MergedRuntime(List<WorkloadRuntime> runtimes) {
    this.runtimes = List.copyOf(runtimes);
    for (WorkloadRuntime runtime : this.runtimes) {
      for (WorkloadKind kind : runtime.kinds()) {
        WorkloadRuntime previous = byKind.putIfAbsent(kind, runtime);
        if (previous != null) {
          throw new IllegalArgumentException(
              kind + " workloads are served by both " + previous.name() + " and " + runtime.name());
        }
      }
    }
  }

  @Override
  public String name() {
    return "merged";
  }

  @Override
  public Set<WorkloadKind> kinds() {
    return Set.copyOf(byKind.keySet());
  }

  /** The runtimes merged, in the order given. */
  public List<WorkloadRuntime> runtimes() {
    return runtimes;
  }

  /** The runtime that serves {@code kind}, if any. */
  public Optional<WorkloadRuntime> serving(WorkloadKind kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  /** An image without a kind is a container image. */
  @Override
  public void ensureImage(String image, PullPolicy policy) {
    forKind(WorkloadKind.CONTAINER).ensureImage(image, policy);
  }

  @Override
  public void ensureImage(WorkloadSpec spec, PullPolicy policy) {
    forKind(spec.kind()).ensureImage(spec, policy);
  }

  @Override
  public Workload run(WorkloadSpec spec) {
    WorkloadRuntime runtime = forKind(spec.kind());
    Workload workload = runtime.run(spec);
    owners.put(workload.id(), runtime);
    return workload;
  }

  @Override
  public void start(String id) {
    owner(id).start(id);
  }

  @Override
  public void stop(String id, Duration timeout) {
    owner(id).stop(id, timeout);
  }

  /** Nothing if no runtime knows the id, as for every runtime's own removal. */
  @Override
  public void remove(String id) {
    if (owners.get(id) == null && inspect(id).isEmpty()) {
      return;
    }
    owner(id).remove(id);
    owners.remove(id);
  }

  @Override
  public Optional<Workload> inspect(String id) {
    WorkloadRuntime known = owners.get(id);
    if (known != null) {
      return known.inspect(id);
    }
    for (WorkloadRuntime runtime : runtimes) {
      Optional<Workload> found = runtime.inspect(id);
      if (found.isPresent()) {
        owners.put(id, runtime);
        return found;
      }
    }
    return Optional.empty();
  }

  @Override
  public List<Workload> list() {
    List<Workload> all = new ArrayList<>();
    for (WorkloadRuntime runtime : runtimes) {
      List<Workload> listed;
      try {
        listed = runtime.list();
      } catch (RuntimeFailure e) {
        throw new RuntimeFailure(
            e.reason(), "cannot list " + runtime.name() + "'s workloads", e.runtimeMessage());
      }
      for (Workload workload : listed) {
        owners.put(workload.id(), runtime);
        all.add(workload);
      }
    }
    return all;
  }

  @Override
  public Stream<String> logs(String id, int tail, boolean follow) {
    return owner(id).logs(id, tail, follow);
  }

  @Override
  public boolean keepsLogTimes(String id) {
    return owner(id).keepsLogTimes(id);
  }

  @Override
  public Stream<dev.berth.runtime.TimedLine> timedLogs(
      String id, int tail, boolean follow, java.time.Instant since) {
    return owner(id).timedLogs(id, tail, follow, since);
  }

  /** Watches every runtime; closing the handle stops all of them. */
  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    List<AutoCloseable> handles = new ArrayList<>();
    for (WorkloadRuntime runtime : runtimes) {
      handles.add(runtime.watch(listener));
    }
    return () -> {
      for (AutoCloseable handle : handles) {
        handle.close();
      }
    };
  }

  @Override
  public void close() {
    for (WorkloadRuntime runtime : runtimes) {
      try {
        runtime.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing " + runtime.name() + " failed", e);
      }
    }
  }

  private WorkloadRuntime forKind(WorkloadKind kind) {
    WorkloadRuntime runtime = byKind.get(kind);
    if (runtime == null) {
      throw new RuntimeFailure(
          Reason.UNAVAILABLE,
          "no runtime on this node runs "
              + kind.name().toLowerCase(java.util.Locale.ROOT)
              + " workloads",
          (String) null);
    }
    return runtime;
  }

  private WorkloadRuntime owner(String id) {
    WorkloadRuntime known = owners.get(id);
    if (known != null) {
      return known;
    }
    inspect(id);
    known = owners.get(id);
    if (known == null) {
      throw RuntimeFailure.notFound(name(), id);
    }
    return known;
  }
}
