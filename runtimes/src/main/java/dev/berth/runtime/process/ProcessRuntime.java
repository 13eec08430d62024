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
import dev.berth.runtime.local.ProcessTable;
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
 * Runs workloads as plain host processes: the runtime that needs nothing but Java (and a POSIX
 * {@code sh}), and so the default where podman is absent.
 *
 * <p>A process must outlive the agent, so everything this runtime knows lives on disk, one
 * directory per workload under the state root (see {@link WorkloadDirectory}): a new instance on
 * the same root adopts the processes a previous one started. A process is told apart from a later
 * one that reuses its pid by its kernel start time ({@link ProcessIdentity}).
 *
 * <p>Each process runs under a small supervisor, a shell that is no part of the agent (see {@link
 * SupervisorScript}): it pipes the output into a log writer that rotates by size, so that the log
 * stays bounded at any output rate without the agent doing anything (nothing here copies or rotates
 * logs), and keeps the exit status on disk, so that the exit code of a run is known even when a
 * previous agent started it. A death by signal is 128 + the signal's number, as shells and podman
 * report it.
 *
 * <p>No crash leaves a process nobody lists, or a directory that is no workload: a workload's state
 * is on disk before its process starts (as being started), the program's pid is on disk (written by
 * its wrapper) before the program runs, and a new instance completes what a crash cut short: a
 * start whose program wrote its pid is that start's run, a supervisor that got no further is ended,
 * and a directory without a state file (a create cut short before it started anything) is deleted.
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
   * How often the runs whose end is not known yet are checked for an exit. One check of all of them
   * on the runtime's thread, instead of {@code ProcessHandle.onExit()}, which keeps a polling
   * thread per process (100 threads for 100 adopted workloads) and counts a zombie as alive where
   * nobody reaps orphans. A run this JVM started is also heard of at once, when its supervisor
   * ends.
   */
  static final Duration EXIT_CHECK_INTERVAL = Duration.ofSeconds(2);

  /**
   * How long a supervisor may take to end once its program has: it writes the exit status and waits
   * for its log writer to drain the pipe, milliseconds. One still there after that is held by
   * leftovers of its run (an orphan of the program holding the log pipe), and is ended.
   */
  static final Duration SUPERVISOR_WAIT = Duration.ofSeconds(2);

  /**
   * How long a supervisor found when a runtime opens may still take to write its program's pid. It
   * writes it within milliseconds of its start, and its agent died at least an agent's start ago:
   * one that has not written it by then is stuck, and is ended (the workload is started anew).
   */
  static final Duration RECOVERY_PID_WAIT = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(ProcessRuntime.class.getName());

  private final Path root;
  private final StateRoot stateRoot;
  private final Launcher launcher;
  private final EventHub events = new EventHub();

  /** The workloads seen so far; a directory not in here yet is read (and adopted) on demand. */
  private final ConcurrentMap<String, TrackedProcess> workloads = new ConcurrentHashMap<>();

  /** Runs whose end is not known yet, with the program each was started or adopted with. */
  private final ConcurrentMap<TrackedProcess, ProcessIdentity> watched = new ConcurrentHashMap<>();

  /**
   * One daemon thread for exits and event delivery: events leave in the order they happened, and
   * listeners never run under this runtime's locks or on the JVM's reaper threads. Nothing on it
   * waits for a workload: logs are the supervisors' business.
   */
  private final ScheduledExecutorService background;

  /**
   * Opens the state root (creating it if needed) and adopts the workloads found there, completing
   * what a crash of the previous agent cut short (see the class's description).
   *
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be created or read
   */
  public ProcessRuntime(ProcessRuntimeConfig config) {
    this.root = config.stateRoot().toAbsolutePath();
    this.stateRoot = new StateRoot(root, "process", ID_PREFIX);
    this.launcher = new Launcher(config.logMaxBytes(), config.logKeep(), System.getenv("PATH"));
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
      for (String unrecorded : stateRoot.deleteUnrecorded(WorkloadDirectory.STATE_FILE)) {
        LOG.log(Level.INFO, "process: deleted " + unrecorded + ", a create cut short by a crash");
      }
      ids().forEach(this::tracked);
    } catch (RuntimeException e) {
      background.shutdownNow();
      throw e;
    }
    long check = EXIT_CHECK_INTERVAL.toMillis();
    background.scheduleWithFixedDelay(this::checkExits, check, check, TimeUnit.MILLISECONDS);
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
   * @throws RuntimeFailure EXECUTABLE_NOT_FOUND if the program is not there
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
   * @throws RuntimeFailure EXECUTABLE_NOT_FOUND if the program is not there
   */
  @Override
  public void ensureImage(WorkloadSpec spec, PullPolicy policy) {
    requireProgram(spec.executable(), spec.env().getOrDefault("PATH", System.getenv("PATH")));
  }

  private static void requireProgram(String executable, String path) {
    if (executable == null || executable.isBlank()) {
      return; // nothing to check; run refuses the spec
    }
    Launcher.requireExecutable(executable, path, Path.of("").toAbsolutePath());
  }

  /**
   * Creates the workload's directory and starts its process. If the process cannot start, nothing
   * is left behind.
   *
   * @throws RuntimeFailure INVALID_SPEC if the spec asks for what a process cannot do or its
   *     working directory does not exist, EXECUTABLE_NOT_FOUND if its program does not exist or may
   *     not be executed (naming the path looked at)
   */
  @Override
  public Workload run(WorkloadSpec spec) {
    ProcessSpecRules.check(spec);
    WorkloadDirectory directory = newDirectory();
    String id = directory.path().getFileName().toString();
    ProcessRecord record = ProcessRecord.created(id, spec, Instant.now());
    // In the map before it starts, so that whoever hears of it finds this one, not a second copy
    // read from disk. Its state file, labels included, is written before anything runs (launch).
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
   * Stops the background thread: no more exits or events. The processes keep running, their logs
   * bounded by their supervisors; a new instance on the same state root adopts them.
   */
  @Override
  public void close() {
    background.shutdownNow();
  }

  /**
   * Starts a new run of the workload; the caller holds its operations lock. Each step is on disk
   * before the next can leave anything running: the record as being started, then the program's pid
   * (its wrapper writes it), then the record of the run.
   */
  private void launch(TrackedProcess workload) {
    endSupervisor(workload);
    noteExit(workload); // the last run's end is told before the next run starts
    try {
      workload.launching();
    } catch (UncheckedIOException e) {
      throw failed("cannot record the start of " + workload.record().id(), e);
    }
    Launcher.Launch run = launcher.start(workload.record(), workload.directory(), GONE_AT_START);
    try {
      workload.started(run, Instant.now());
    } catch (UncheckedIOException e) {
      // The next agent would find it by its pid file, but this call fails: nothing may run.
      ProcessTree.kill(run.supervisor().toHandle());
      throw failed("cannot record the start of " + workload.record().id(), e);
    }
    publish(RuntimeEvent.Type.STARTED, workload.record(), null);
    watched.put(workload, run.program());
    run.supervisor().onExit().thenRunAsync(() -> noteExit(workload), background);
  }

  /**
   * Records the exit of every watched run that is over; forgets those restarted or removed since.
   */
  private void checkExits() {
    try {
      for (var entry : watched.entrySet()) {
        TrackedProcess workload = entry.getKey();
        ProcessRecord record = workload.record();
        if (!workload.removed()
            && !record.exitSeen()
            && entry.getValue().equals(record.identity())) {
          noteExit(workload);
        }
        ProcessRecord now = workload.record();
        if (workload.removed() || now.exitSeen() || !entry.getValue().equals(now.identity())) {
          watched.remove(workload, entry.getValue());
        }
      }
    } catch (RuntimeException e) {
      // Thrown out of a scheduled task, it would cancel every later check.
      LOG.log(Level.WARNING, "checking for exited processes failed: " + e.getMessage(), e);
    }
  }

  /**
   * Records the exit of the current run if it is over and nobody has yet, with the exit status its
   * supervisor wrote; unless the supervisor is still about to write it.
   */
  private void noteExit(TrackedProcess workload) {
    ProcessRecord record = workload.record();
    if (record.identity() == null || record.exitSeen() || record.identity().alive()) {
      return;
    }
    Optional<Integer> status = workload.directory().exitStatus();
    if (status.isEmpty() && record.supervisor() != null && record.supervisor().alive()) {
      return; // it writes the status, then ends: heard of then, or at the next check
    }
    Integer exitCode = status.orElse(null);
    try {
      workload.exited(
          record.identity(),
          exitCode,
          Instant.now(),
          exited -> publish(RuntimeEvent.Type.DIED, exited, exitCode));
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot record the exit of " + record.id(), e);
    }
  }

  /**
   * Stops the current run's program and its descendants, then waits for its supervisor (and so its
   * log writer) to end; returns with the exit recorded.
   */
  private void stopProcess(TrackedProcess workload, Duration timeout) {
    ProcessRecord record = workload.record();
    Optional<ProcessHandle> program =
        record.identity() == null || record.exitSeen()
            ? Optional.empty()
            : record.identity().find();
    if (program.isPresent()) {
      boolean gone;
      try {
        gone = ProcessTree.stop(program.get(), timeout);
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
    endSupervisor(workload);
    noteExit(workload);
  }

  /**
   * Waits for the last run's supervisor to end, and ends it (and its log writer) if it does not
   * within {@link #SUPERVISOR_WAIT}: its program is gone, so what keeps it is a leftover of the
   * run. A run's supervisor is gone before the next run starts or the workload is removed, so that
   * two writers never share a log. The caller holds the operations lock.
   */
  private void endSupervisor(TrackedProcess workload) {
    ProcessRecord record = workload.record();
    if (record.supervisor() == null || (record.identity() != null && record.identity().alive())) {
      return;
    }
    Optional<ProcessHandle> supervisor = record.supervisor().find();
    if (supervisor.isEmpty()) {
      return;
    }
    try {
      Process child = workload.supervisor();
      boolean ended =
          child != null
              ? child.waitFor(SUPERVISOR_WAIT.toMillis(), TimeUnit.MILLISECONDS)
              : ProcessTree.awaitGone(List.of(supervisor.get()), SUPERVISOR_WAIT);
      if (!ended) {
        LOG.log(
            Level.INFO,
            "process: ending the supervisor of " + record.id() + ": leftovers hold its log pipe");
        ProcessTree.kill(supervisor.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while stopping " + record.id(), e);
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
    // One adoption at a time: completing a start cut short acts on processes and files.
    synchronized (workloads) {
      known = workloads.get(id);
      if (known != null) {
        return Optional.of(known);
      }
      WorkloadDirectory directory = new WorkloadDirectory(root.resolve(id));
      Optional<ProcessRecord> record = directory.read();
      if (record.isEmpty()) {
        return Optional.empty();
      }
      TrackedProcess adopted = new TrackedProcess(directory, record.get());
      if (record.get().identity() == null) {
        recoverLaunch(adopted);
        noteExit(adopted);
      }
      workloads.put(id, adopted);
      ProcessRecord now = adopted.record();
      if (now.identity() != null && !now.exitSeen()) {
        watched.put(adopted, now.identity());
      }
      return Optional.of(adopted);
    }
  }

  /**
   * Completes a start that a crash cut short: the record says a start was under way, what it left
   * says how far it got. A program that wrote its pid is that start's run (running, or ended with
   * the status its supervisor kept); a supervisor that did not get that far is given its time, then
   * ended; with nothing running, the workload is merely created, for the reconcilers to start.
   * Never leaves a process that no record names.
   */
  private void recoverLaunch(TrackedProcess workload) {
    WorkloadDirectory directory = workload.directory();
    String id = workload.record().id();
    try {
      List<ProcessHandle> supervisors = ProcessTable.tops(ProcessTable.naming(directory.path()));
      Optional<ProcessIdentity> program = directory.program(GONE_AT_START);
      for (ProcessHandle supervisor : supervisors) {
        if (program.isEmpty()) {
          program = Launcher.awaitProgram(supervisor, directory, GONE_AT_START, RECOVERY_PID_WAIT);
        }
      }
      if (program.isEmpty()) {
        supervisors.forEach(ProcessTree::kill);
        // One may have started its program while it was being ended: that one goes too.
        directory
            .program(GONE_AT_START)
            .flatMap(ProcessIdentity::find)
            .ifPresent(ProcessTree::kill);
        directory.clearRun();
        LOG.log(
            Level.INFO, "process: " + id + " was being started by a crash; created, not running");
        return;
      }
      ProcessIdentity run = program.get();
      ProcessIdentity supervisor =
          supervisors.size() == 1 ? ProcessIdentity.of(supervisors.get(0)).orElse(null) : null;
      Instant startedAt = run.startedAt().equals(GONE_AT_START) ? Instant.now() : run.startedAt();
      workload.recovered(run, supervisor, startedAt);
      LOG.log(
          Level.INFO,
          "process: " + id + " was being started by a crash; adopted its run, pid " + run.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while adopting " + id, e);
    } catch (UncheckedIOException e) {
      throw failed("cannot adopt " + id, e);
    }
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
