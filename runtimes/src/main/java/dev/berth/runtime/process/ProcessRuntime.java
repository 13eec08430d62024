package dev.berth.runtime.process;

import dev.berth.runtime.EventHub;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.StateRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.stream.Stream;

/**
 * Runs workloads as plain host processes: the runtime that needs nothing but Java, and so the
 * default where podman is absent.
 *
 * <p>A process must outlive the agent, so everything this runtime knows lives on disk, one
 * directory per workload under the state root (see {@link WorkloadDirectory}): a new instance on
 * the same root adopts the processes a previous one started. A process is told apart from a later
 * one that reuses its pid by its kernel start time ({@link ProcessIdentity}). Its output goes to
 * one file, {@code output.log}, stdout and stderr interleaved as written (as {@code podman logs}
 * shows them), rotated by size on a background thread; see {@link Launcher} for why never to a
 * pipe.
 *
 * <p>The exit code of a run is known when this JVM started it; a run adopted from a previous agent
 * is only seen to be gone, with an unknown (null) exit code.
 *
 * <p>What a process cannot honour: {@code user} (it runs as the agent's user) and {@code mounts}
 * (it sees the host's files) are refused as INVALID_SPEC; {@code image}, {@code network}, {@code
 * memoryMb}, {@code vcpus}, {@code init} and {@code restart} are ignored (restarting is the
 * reconcilers' job). One runtime instance per state root: two would each think they own it.
 */
public final class ProcessRuntime implements WorkloadRuntime {

  /** Every id starts with it, so that ids of different runtimes never collide. */
  public static final String ID_PREFIX = "proc-";

  /**
   * The start time recorded for a process already gone (and reaped) when we looked: no live process
   * started then, so its pid is never mistaken for ours.
   */
  private static final Instant GONE_AT_START = Instant.EPOCH;

  /**
   * How often adopted processes (a previous agent's children, not ours) are checked for an exit.
   * One check of all of them on the runtime's thread, instead of {@code ProcessHandle.onExit()},
   * which keeps a polling thread per process (100 threads for 100 adopted workloads) and counts a
   * zombie as alive where nobody reaps orphans.
   */
  static final Duration ADOPTED_CHECK_INTERVAL = Duration.ofSeconds(2);

  private static final System.Logger LOG = System.getLogger(ProcessRuntime.class.getName());

  private final ProcessRuntimeConfig config;
  private final Path root;
  private final StateRoot stateRoot;
  private final Launcher launcher = new Launcher();
  private final EventHub events = new EventHub();

  /** The workloads seen so far; a directory not in here yet is read (and adopted) on demand. */
  private final ConcurrentMap<String, TrackedProcess> workloads = new ConcurrentHashMap<>();

  /** Adopted runs still running as far as we know, with the identity they were adopted with. */
  private final ConcurrentMap<TrackedProcess, ProcessIdentity> adoptedRunning =
      new ConcurrentHashMap<>();

  /**
   * One daemon thread for log rotation, exits and event delivery: events leave in the order they
   * happened, and listeners never run under this runtime's locks or on the JVM's reaper threads.
   */
  private final ScheduledExecutorService background;

  /**
   * Opens the state root (creating it if needed) and adopts the workloads found there.
   *
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be created or read
   */
  public ProcessRuntime(ProcessRuntimeConfig config) {
    this.config = config;
    this.root = config.stateRoot().toAbsolutePath();
    this.stateRoot = new StateRoot(root, "process", ID_PREFIX);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.UNAVAILABLE, "process: cannot create " + root, e);
    }
    background =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "berth-process-runtime");
              thread.setDaemon(true);
              return thread;
            });
    try {
      ids().forEach(this::tracked);
    } catch (RuntimeException e) {
      background.shutdownNow();
      throw e;
    }
    long interval = config.rotationInterval().toMillis();
    background.scheduleWithFixedDelay(this::rotateLogs, interval, interval, TimeUnit.MILLISECONDS);
    long check = ADOPTED_CHECK_INTERVAL.toMillis();
    background.scheduleWithFixedDelay(this::checkAdopted, check, check, TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public Set<WorkloadKind> kinds() {
    return Set.of(WorkloadKind.PROCESS);
  }

  /**
   * A process has no image to fetch, whatever the policy; {@code image} may name its program, and
   * then this checks that the program is there (an absolute path, or a name in the agent's PATH).
   * Null does nothing.
   *
   * @throws RuntimeFailure IMAGE_MISSING if the program is not there
   */
  @Override
  public void ensureImage(String image, PullPolicy policy) {
    requireProgram(image, System.getenv("PATH"));
  }

  /**
   * Checks that the spec's program is there, looked up as {@link #run} will (in the spec's PATH if
   * it sets one), so that a missing program shows up as early as a missing container image would.
   * Nothing is ever fetched, whatever the policy.
   *
   * @throws RuntimeFailure IMAGE_MISSING if the program is not there
   */
  @Override
  public void ensureImage(WorkloadSpec spec, PullPolicy policy) {
    requireProgram(spec.executable(), spec.env().getOrDefault("PATH", System.getenv("PATH")));
  }

  private static void requireProgram(String executable, String path) {
    if (executable == null || executable.isBlank()) {
      return; // nothing to check; run refuses the spec
    }
    Path program = Path.of(Launcher.executable(executable, path, Path.of("").toAbsolutePath()));
    if (!program.isAbsolute() || !Files.isRegularFile(program) || !Files.isExecutable(program)) {
      throw new RuntimeFailure(
          Reason.IMAGE_MISSING, "process: no executable program " + executable, (String) null);
    }
  }

  /**
   * Creates the workload's directory and starts its process. If the process cannot start, nothing
   * is left behind.
   *
   * @throws RuntimeFailure INVALID_SPEC if the spec asks for what a process cannot do, or its
   *     program or working directory does not exist (with the OS's message)
   */
  @Override
  public Workload run(WorkloadSpec spec) {
    validate(spec);
    WorkloadDirectory directory = newDirectory();
    String id = directory.path().getFileName().toString();
    ProcessRecord record =
        new ProcessRecord(
            id,
            spec.name(),
            spec.labels(),
            spec.executable(),
            spec.args(),
            spec.env(),
            spec.workingDirectory(),
            spec.ports(),
            Instant.now(),
            null,
            null,
            null,
            null);
    // In the map before it starts, so that whoever hears of it finds this one, not a second copy
    // read from disk. Its state file is written once the process runs: a crash before leaves a
    // directory without one, which nobody lists.
    TrackedProcess workload = new TrackedProcess(directory, record);
    workload.operations.lock();
    try {
      workloads.put(id, workload);
      launch(workload);
      return workload(workload.record());
    } catch (RuntimeException e) {
      workloads.remove(id, workload);
      deleteQuietly(workload);
      throw e instanceof RuntimeFailure failure ? failure : failed("cannot create " + id, e);
    } finally {
      workload.operations.unlock();
    }
  }

  @Override
  public void start(String id) {
    TrackedProcess workload = require(id);
    workload.operations.lock();
    try {
      requireNotRemoved(workload);
      if (TrackedProcess.stateOf(workload.record()) == WorkloadState.RUNNING) {
        return;
      }
      noteExit(workload);
      launch(workload);
    } finally {
      workload.operations.unlock();
    }
  }

  /**
   * Sends SIGTERM to the process and its descendants, and SIGKILL to those left after {@code
   * timeout}; returns once they are gone.
   *
   * @throws RuntimeFailure FAILED if they are still there after SIGKILL (stuck in the kernel)
   */
  @Override
  public void stop(String id, Duration timeout) {
    TrackedProcess workload = require(id);
    workload.operations.lock();
    try {
      requireNotRemoved(workload);
      stopProcess(workload, timeout);
    } finally {
      workload.operations.unlock();
    }
  }

  /** Kills the process and its descendants at once, then deletes the workload's directory. */
  @Override
  public void remove(String id) {
    TrackedProcess workload = require(id);
    workload.operations.lock();
    try {
      requireNotRemoved(workload);
      stopProcess(workload, Duration.ZERO);
      try {
        workload.delete();
      } catch (UncheckedIOException e) {
        throw failed("cannot remove " + id, e);
      }
      workloads.remove(id, workload);
      publish(RuntimeEvent.Type.REMOVED, workload.record(), null);
    } finally {
      workload.operations.unlock();
    }
  }

  @Override
  public Optional<Workload> inspect(String id) {
    return tracked(id).filter(workload -> !workload.removed()).map(w -> workload(w.record()));
  }

  @Override
  public List<Workload> list() {
    List<Workload> all = new ArrayList<>();
    for (String id : ids()) {
      inspect(id).ifPresent(all::add);
    }
    return all;
  }

  /**
   * The process's output, stdout and stderr interleaved as written. A negative {@code tail} means
   * all of it. Following goes on after the process exits, until the stream is closed.
   */
  @Override
  public Stream<String> logs(String id, int tail, boolean follow) {
    LogFile output = require(id).directory().output();
    int lines = tail < 0 ? Integer.MAX_VALUE : tail;
    return follow ? output.follow(lines) : output.tail(lines).stream();
  }

  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return events.watch(listener);
  }

  /**
   * Stops the background thread: no more rotation, exits or events. The processes keep running; a
   * new instance on the same state root adopts them.
   */
  @Override
  public void close() {
    background.shutdownNow();
  }

  private static void validate(WorkloadSpec spec) {
    if (spec.kind() != WorkloadKind.PROCESS) {
      throw invalid("runs processes, not " + spec.kind());
    }
    if (spec.executable() == null || spec.executable().isBlank()) {
      throw invalid("executable is required");
    }
    if (spec.user() != null) {
      throw invalid("a process runs as the agent's user; user must be unset, not " + spec.user());
    }
    if (!spec.mounts().isEmpty()) {
      throw invalid("a process sees the host's files; mounts must be empty");
    }
    PortEnvironment.of(spec.ports());
  }

  /** Starts a new run of the workload; the caller holds its operations lock. */
  private void launch(TrackedProcess workload) {
    Process process = launcher.start(workload.record(), workload.directory());
    ProcessIdentity identity =
        ProcessIdentity.of(process.toHandle())
            .orElseGet(() -> new ProcessIdentity(process.pid(), GONE_AT_START));
    try {
      workload.started(process, identity, Instant.now());
    } catch (UncheckedIOException e) {
      // Unrecorded, a restarted agent could never find it: better not to run it at all.
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw failed("cannot record the start of " + workload.record().id(), e);
    }
    publish(RuntimeEvent.Type.STARTED, workload.record(), null);
    process
        .onExit()
        .thenRunAsync(() -> exited(workload, identity, process.exitValue()), background);
  }

  /** Adopted runs are watched through the process table: their exit code is not ours to know. */
  private void watchAdopted(TrackedProcess workload) {
    ProcessRecord record = workload.record();
    if (record.identity() == null || record.exitSeen()) {
      return;
    }
    adoptedRunning.put(workload, record.identity());
  }

  /**
   * Records the exit of every adopted run that is gone; forgets those restarted or removed since.
   */
  private void checkAdopted() {
    try {
      for (var entry : adoptedRunning.entrySet()) {
        TrackedProcess workload = entry.getKey();
        ProcessIdentity adopted = entry.getValue();
        ProcessRecord record = workload.record();
        if (workload.removed() || record.exitSeen() || !adopted.equals(record.identity())) {
          adoptedRunning.remove(workload);
        } else if (!adopted.alive()) {
          adoptedRunning.remove(workload);
          exited(workload, adopted, null);
        }
      }
    } catch (RuntimeException e) {
      // Thrown out of a scheduled task, it would cancel every later check.
      LOG.log(Level.WARNING, "checking adopted processes failed: " + e.getMessage(), e);
    }
  }

  private void exited(TrackedProcess workload, ProcessIdentity process, Integer exitCode) {
    try {
      workload.exited(
          process,
          exitCode,
          Instant.now(),
          record -> publish(RuntimeEvent.Type.DIED, record, exitCode));
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot record the exit of " + workload.record().id(), e);
    }
  }

  /**
   * Records the exit of a run that is over, if nobody has yet: a stop must not return before the
   * workload shows as exited with its code.
   */
  private void noteExit(TrackedProcess workload) {
    ProcessRecord record = workload.record();
    if (record.identity() == null || record.exitSeen() || record.identity().alive()) {
      return;
    }
    exited(workload, record.identity(), exitCodeOf(workload.child()));
  }

  private static Integer exitCodeOf(Process child) {
    if (child == null) {
      return null;
    }
    try {
      // It is gone already; this only waits for the JVM's reaper to collect its status.
      return child.waitFor(ProcessTree.KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          ? child.exitValue()
          : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void stopProcess(TrackedProcess workload, Duration timeout) {
    ProcessRecord record = workload.record();
    Optional<ProcessHandle> process =
        record.identity() == null || record.exitSeen()
            ? Optional.empty()
            : record.identity().find();
    if (process.isPresent()) {
      boolean gone;
      try {
        gone = ProcessTree.stop(process.get(), workload.child(), timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed("interrupted while stopping " + record.id(), e);
      }
      if (!gone) {
        throw new RuntimeFailure(
            Reason.FAILED,
            "process: " + record.id() + " (pid " + record.identity().pid() + ") survived SIGKILL",
            (String) null);
      }
    }
    noteExit(workload);
  }

  private void rotateLogs() {
    for (TrackedProcess workload : workloads.values()) {
      // A workload busy with an operation (a removal deleting its files) waits for the next round.
      if (!workload.operations.tryLock()) {
        continue;
      }
      try {
        if (!workload.removed()) {
          workload.directory().output().rotateIfLarger(config.logMaxBytes(), config.logKeep());
        }
      } catch (RuntimeException e) {
        // Thrown out of a scheduled task, it would cancel every later rotation.
        LOG.log(Level.WARNING, "cannot rotate the log of " + workload.record().id(), e);
      } finally {
        workload.operations.unlock();
      }
    }
  }

  private void publish(RuntimeEvent.Type type, ProcessRecord record, Integer exitCode) {
    RuntimeEvent event =
        new RuntimeEvent(
            type,
            record.id(),
            record.name(),
            record.labels(),
            WorkloadKind.PROCESS,
            exitCode,
            Instant.now());
    try {
      background.execute(() -> events.publish(event));
    } catch (RejectedExecutionException closed) {
      // Closed: nobody is to be told any more.
    }
  }

  private static Workload workload(ProcessRecord record) {
    return new Workload(
        record.id(),
        record.name(),
        record.labels(),
        TrackedProcess.stateOf(record),
        record.exitCode(),
        record.startedAt(),
        record.executable(),
        record.ports(),
        WorkloadKind.PROCESS);
  }

  /** The workload, read from its directory (and adopted) the first time it is asked for. */
  private Optional<TrackedProcess> tracked(String id) {
    if (!stateRoot.isId(id)) {
      return Optional.empty(); // also keeps "../x" from ever naming a path
    }
    TrackedProcess known = workloads.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    WorkloadDirectory directory = new WorkloadDirectory(root.resolve(id));
    Optional<ProcessRecord> record = directory.read();
    if (record.isEmpty()) {
      return Optional.empty();
    }
    TrackedProcess adopted = new TrackedProcess(directory, record.get());
    TrackedProcess raced = workloads.putIfAbsent(id, adopted);
    if (raced != null) {
      return Optional.of(raced);
    }
    watchAdopted(adopted);
    return Optional.of(adopted);
  }

  private TrackedProcess require(String id) {
    return tracked(id).orElseThrow(() -> RuntimeFailure.notFound(name(), id));
  }

  private void requireNotRemoved(TrackedProcess workload) {
    if (workload.removed()) {
      throw RuntimeFailure.notFound(name(), workload.record().id());
    }
  }

  private List<String> ids() {
    return stateRoot.ids();
  }

  /** A new directory with a fresh id; creating it is what claims the id. */
  private WorkloadDirectory newDirectory() {
    return new WorkloadDirectory(stateRoot.newDirectory());
  }

  private static void deleteQuietly(TrackedProcess workload) {
    try {
      workload.delete();
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot clean up " + workload.directory().path(), e);
    }
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "process: " + message, (String) null);
  }

  private static RuntimeFailure failed(String message, Throwable cause) {
    return new RuntimeFailure(Reason.FAILED, "process: " + message, cause);
  }
}
