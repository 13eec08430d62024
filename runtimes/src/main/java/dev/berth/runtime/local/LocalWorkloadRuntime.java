package dev.berth.runtime.local;

import dev.berth.runtime.EventHub;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a runtime of workloads that live on this node as host processes (plain processes, QEMU VMs)
 * does whatever it runs: a subclass says only how a workload is launched, stopped, described and
 * adopted.
 *
 * <p>A workload must outlive the agent, so everything the runtime knows lives on disk, one
 * directory per workload under the state root ({@link StateRoot}), its record in {@value
 * #STATE_FILE}, written before anything runs: a new instance on the same root adopts the workloads
 * a previous one left, reading each directory the first time its id is asked for (and all of them
 * when it opens). A directory without a record is a create that a crash cut short before it ran
 * anything, and is deleted when the runtime opens. One runtime instance per state root: two would
 * each think they own it.
 *
 * <p>Operations on one workload take its {@link TrackedWorkload#operations() operations lock}, so
 * that a stop never races a start; inspecting takes none. Events leave from one daemon thread of
 * the runtime's, in the order they happened, and listeners never run under its locks; the same
 * thread runs the subclass's periodic chores ({@link #every}).
 *
 * @param <W> how the subclass tracks one workload
 */
public abstract class LocalWorkloadRuntime<W extends TrackedWorkload> implements WorkloadRuntime {

  /** The file in each workload's directory that holds its record. */
  public static final String STATE_FILE = "state.json";

  private static final System.Logger LOG = System.getLogger(LocalWorkloadRuntime.class.getName());

  private final String name;
  private final WorkloadKind kind;
  private final Path root;
  private final StateRoot stateRoot;
  private final EventHub events = new EventHub();

  /** The workloads seen so far; a directory not in here yet is read (and adopted) on demand. */
  private final ConcurrentMap<String, W> workloads = new ConcurrentHashMap<>();

  /**
   * The ids of workloads whose {@link #run} is under way, which {@link #list} leaves out: a run
   * that fails leaves nothing behind, so no list may have shown its workload (a cache would keep it
   * until its next list, and plan a start of what is gone), nor adopt its directory before it is
   * deleted.
   */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /** The one thread for events and chores; see the class's description. */
  private final ScheduledExecutorService background;

  /**
   * Creates the state root if needed. The subclass calls {@link #adoptAll} at the end of its
   * constructor, once it can adopt.
   *
   * @param name the runtime's name, for messages, events and its thread
   * @param kind the one kind of workload it runs
   * @param idPrefix what every id starts with, so that ids of different runtimes never collide
   * @param root the state root
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be created
   */
  protected LocalWorkloadRuntime(String name, WorkloadKind kind, String idPrefix, Path root) {
    this.name = name;
    this.kind = kind;
    this.root = root.toAbsolutePath();
    this.stateRoot = new StateRoot(this.root, name, idPrefix);
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.UNAVAILABLE, name + ": cannot create " + this.root, e);
    }
    background =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "berth-" + name + "-runtime");
              thread.setDaemon(true);
              return thread;
            });
  }

  // ---- what a subclass says ----

  /** Refuses what the runtime cannot run (INVALID_SPEC), before anything is on disk. */
  protected abstract void check(WorkloadSpec spec);

  /** The workload {@code spec} declares, in its new {@code directory}; nothing written yet. */
  protected abstract W create(Path directory, WorkloadSpec spec);

  /**
   * Starts the first run of a workload just created: its record goes on disk before anything runs.
   * By default as {@link #launch}. The caller holds its operations lock; a failure deletes it.
   */
  protected void launchCreated(W workload) {
    launch(workload);
  }

  /**
   * Starts a new run of a workload that does not run, its record on disk before anything runs;
   * tells STARTED. The caller holds its operations lock.
   */
  protected abstract void launch(W workload);

  /**
   * Stops the current run (nothing if there is none), forcefully after {@code timeout}, and returns
   * once it is gone with its exit recorded. The caller holds the operations lock.
   */
  protected abstract void halt(W workload, Duration timeout);

  /**
   * The workload whose directory this is, completing what a crash of a previous agent cut short;
   * empty if the directory holds no record. Called once per directory, one call at a time.
   */
  protected abstract Optional<W> adopt(Path directory);

  /** The workload as observed now. */
  protected abstract Workload describe(W workload);

  /**
   * Releases what a workload holds outside its directory (the process runtime's cgroups), once it
   * is stopped and before its directory is deleted; nothing by default. The caller holds its
   * operations lock. A failure keeps the workload: the removal fails, and may be tried again.
   */
  protected void discard(W workload) {}

  // ---- the SPI ----

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Set<WorkloadKind> kinds() {
    return Set.of(kind);
  }

  /**
   * Creates the workload's directory and starts it; if it cannot start, nothing is left behind.
   *
   * @throws RuntimeFailure INVALID_SPEC if {@link #check} refuses the spec, else as {@link #launch}
   */
  @Override
  public final Workload run(WorkloadSpec spec) {
    check(spec);
    W workload = create(stateRoot.newDirectory(), spec);
    String id = workload.id();
    // In the map before it starts, so that whoever hears of it finds this one, not a second copy
    // read from disk.
    running.add(id);
    workload.operations().lock();
    try {
      workloads.put(id, workload);
      launchCreated(workload);
      return describe(workload);
    } catch (RuntimeException e) {
      workloads.remove(id, workload);
      deleteQuietly(workload);
      throw e instanceof RuntimeFailure failure ? failure : failed("cannot create " + id, e);
    } finally {
      workload.operations().unlock();
      running.remove(id);
    }
  }

  @Override
  public final void start(String id) {
    locked(
        id,
        workload -> {
          if (!workload.running()) {
            launch(workload);
          }
          return null;
        });
  }

  @Override
  public final void stop(String id, Duration timeout) {
    locked(
        id,
        workload -> {
          halt(workload, timeout);
          return null;
        });
  }

  /** Stops the workload at once, deletes its directory and tells REMOVED; nothing if it is gone. */
  @Override
  public final void remove(String id) {
    Optional<W> found = tracked(id);
    if (found.isEmpty()) {
      return;
    }
    W workload = found.get();
    workload.operations().lock();
    try {
      if (workload.removed()) {
        return; // removed by another call while this one waited for the lock
      }
      halt(workload, Duration.ZERO);
      discard(workload);
      try {
        workload.delete();
      } catch (UncheckedIOException e) {
        throw failed("cannot remove " + id, e);
      }
      workloads.remove(id, workload);
      publish(RuntimeEvent.Type.REMOVED, workload, null);
    } finally {
      workload.operations().unlock();
    }
  }

  @Override
  public final Optional<Workload> inspect(String id) {
    return tracked(id).filter(workload -> !workload.removed()).map(this::describe);
  }

  /** Every workload, but those whose {@link #run} is still under way (see {@link #running}). */
  @Override
  public final List<Workload> list() {
    List<Workload> all = new ArrayList<>();
    for (String id : stateRoot.ids()) {
      if (!running.contains(id)) {
        inspect(id).ifPresent(all::add);
      }
    }
    return all;
  }

  /**
   * The workload's log. A negative {@code tail} means all of it. Following goes on after the
   * workload exits (and across a restart, which appends), until the stream is closed.
   */
  @Override
  public final Stream<String> logs(String id, int tail, boolean follow) {
    LogFile log = require(id).log();
    int lines = tail < 0 ? Integer.MAX_VALUE : tail;
    return follow ? log.follow(lines) : log.tail(lines).stream();
  }

  @Override
  public final AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return events.watch(listener);
  }

  /**
   * Stops the runtime's thread: no more events or chores. The workloads keep running; a new
   * instance on the same state root adopts them.
   */
  @Override
  public void close() {
    background.shutdownNow();
  }

  // ---- for subclasses ----

  /**
   * Deletes the directories that creates cut short and adopts every workload on disk; the last step
   * of a subclass's constructor (see the class's description).
   *
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be read, or as {@link #adopt}
   */
  protected final void adoptAll() {
    try {
      for (String unrecorded : stateRoot.deleteUnrecorded(STATE_FILE)) {
        LOG.log(Level.INFO, name + ": deleted " + unrecorded + ", a create cut short by a crash");
      }
      stateRoot.ids().forEach(this::tracked);
    } catch (RuntimeException e) {
      background.shutdownNow();
      throw e;
    }
  }

  /**
   * Runs {@code chore} on the runtime's thread every {@code period}; a chore that throws is logged
   * (thrown out of a scheduled task, it would cancel every later run).
   */
  protected final void every(Duration period, String what, Runnable chore) {
    long millis = period.toMillis();
    background.scheduleWithFixedDelay(
        () -> {
          try {
            chore.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": " + what + " failed: " + e.getMessage(), e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} on the runtime's thread; nothing once the runtime is closed. */
  protected final void onRuntimeThread(Runnable task) {
    try {
      background.execute(task);
    } catch (RejectedExecutionException closed) {
      // Closed: nobody is to be told any more.
    }
  }

  /** The workloads seen so far, for chores that visit each. */
  protected final Collection<W> tracked() {
    return workloads.values();
  }

  /**
   * Runs {@code operation} on the workload under its operations lock.
   *
   * @throws RuntimeFailure NOT_FOUND if there is no such workload, or it was removed
   */
  protected final <T> T locked(String id, Function<W, T> operation) {
    W workload = require(id);
    workload.operations().lock();
    try {
      if (workload.removed()) {
        throw RuntimeFailure.notFound(name, id);
      }
      return operation.apply(workload);
    } finally {
      workload.operations().unlock();
    }
  }

  /** Tells the listeners, from the runtime's thread, in the order of the calls. */
  protected final void publish(RuntimeEvent.Type type, W workload, Integer exitCode) {
    RuntimeEvent event =
        new RuntimeEvent(
            type, workload.id(), workload.name(), workload.labels(), kind, exitCode, Instant.now());
    onRuntimeThread(() -> events.publish(event));
  }

  /**
   * A {@link RuntimeFailure.Reason#FAILED} failure of this runtime, {@code message} prefixed with
   * its name.
   */
  protected final RuntimeFailure failed(String message, Throwable cause) {
    return new RuntimeFailure(Reason.FAILED, name + ": " + message, cause);
  }

  // ---- internals ----

  /** The workload, read from its directory (and adopted) the first time it is asked for. */
  private Optional<W> tracked(String id) {
    if (!stateRoot.isId(id)) {
      return Optional.empty(); // also keeps "../x" from ever naming a path
    }
    W known = workloads.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    // One adoption at a time: completing a start cut short acts on processes and files.
    synchronized (workloads) {
      known = workloads.get(id);
      if (known != null) {
        return Optional.of(known);
      }
      Optional<W> adopted = adopt(root.resolve(id));
      adopted.ifPresent(workload -> workloads.put(id, workload));
      return adopted;
    }
  }

  private W require(String id) {
    return tracked(id).orElseThrow(() -> RuntimeFailure.notFound(name, id));
  }

  private void deleteQuietly(W workload) {
    try {
      workload.delete();
      discard(workload);
    } catch (UncheckedIOException | RuntimeFailure e) {
      LOG.log(Level.WARNING, name + ": cannot clean up " + workload.id(), e);
    }
  }
}
