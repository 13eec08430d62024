package dev.berth.runtime.process;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.LocalWorkloadRuntime;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import dev.berth.runtime.local.StateDirectory;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs workloads as plain host processes: the runtime that needs nothing but Java (and a POSIX
 * {@code sh}), and so the default where podman is absent.
 *
 * <p>A process must outlive the agent, so everything this runtime knows lives on disk, one
 * directory per workload under the state root (see {@link WorkloadDirectory}): a new instance on
 * the same root adopts the processes a previous one started ({@link LocalWorkloadRuntime} keeps
 * them; this class says how a process is launched, stopped and described). A process is told apart
 * from a later one that reuses its pid by its kernel start time ({@link ProcessIdentity}).
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
 * <p>{@code memoryMb} and {@code vcpus} are enforced through cgroups (see {@link ProcessLimits} and
 * {@link WorkloadCgroup}): the program joins its workload's cgroup before it is exec'd, a run the
 * kernel ended for exceeding its memory limit is reported as OOM-killed (an OOM event before its
 * DIED, and {@link Workload#oomKilled()}), and the cgroup goes with the workload. Where the node
 * cannot enforce a limit, a spec that asks for it is refused as INVALID_SPEC, never run unlimited.
 *
 * <p>What a process cannot honour: {@code user} (it runs as the agent's user) and {@code mounts}
 * (it sees the host's files) are refused as INVALID_SPEC; {@code image}, {@code network}, {@code
 * init} and {@code restart} are ignored (restarting is the reconcilers' job). One runtime instance
 * per state root: two would each think they own it.
 */
public final class ProcessRuntime extends LocalWorkloadRuntime<TrackedProcess> {

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

  private final Launcher launcher;

  /** How this node limits a process, found when the runtime opened. */
  private final ProcessLimits limits;

  /** Runs whose end is not known yet, with the program each was started or adopted with. */
  private final ConcurrentMap<TrackedProcess, ProcessIdentity> watched = new ConcurrentHashMap<>();

  /**
   * Opens the state root (creating it if needed) and adopts the workloads found there, completing
   * what a crash of the previous agent cut short (see the class's description).
   *
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be created or read
   */
  public ProcessRuntime(ProcessRuntimeConfig config) {
    this(config, ProcessLimits.detect(config.stateRoot()));
  }

  /**
   * As {@link #ProcessRuntime(ProcessRuntimeConfig)}, limiting processes as {@code limits} says
   * (what {@link ProcessLimits#detect} found, which the agent also tells validation); removes the
   * cgroups of its workloads that are gone (a removal that a crash cut short).
   */
  public ProcessRuntime(ProcessRuntimeConfig config, ProcessLimits limits) {
    super("process", WorkloadKind.PROCESS, ID_PREFIX, config.stateRoot());
    this.launcher = new Launcher(config.logMaxBytes(), config.logKeep(), System.getenv("PATH"));
    this.limits = limits;
    adoptAll();
    Set<String> live = tracked().stream().map(TrackedProcess::id).collect(Collectors.toSet());
    limits.removeStale(live::contains);
    every(EXIT_CHECK_INTERVAL, "checking for exited processes", this::checkExits);
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
   * Refuses what a process cannot do; {@link #run} then creates the workload's directory and starts
   * its process, or leaves nothing behind. Besides INVALID_SPEC, a run fails with
   * EXECUTABLE_NOT_FOUND if its program does not exist or may not be executed (naming the path
   * looked at), and INVALID_SPEC if its working directory does not exist.
   */
  @Override
  protected void check(WorkloadSpec spec) {
    ProcessSpecRules.check(spec);
    limits.check(spec);
  }

  @Override
  protected TrackedProcess create(Path directory, WorkloadSpec spec) {
    String id = directory.getFileName().toString();
    WorkloadDirectory workloadDirectory = new WorkloadDirectory(directory);
    if (!spec.secrets().isEmpty()) {
      // Apart from the record, which is shown and kept as it is: the values are for starts only.
      Map<String, String> values = new LinkedHashMap<>();
      spec.secrets().forEach(secret -> values.put(secret.name(), secret.requireValue()));
      try {
        workloadDirectory.writeSecrets(values);
      } catch (UncheckedIOException e) {
        StateDirectory.delete(directory, null);
        throw failed("cannot keep the secrets of " + id, e);
      }
    }
    // Its state file, labels included, is written before anything runs (launch).
    return new TrackedProcess(workloadDirectory, ProcessRecord.created(id, spec, Instant.now()));
  }

  /**
   * Starts a new run of the workload. Each step is on disk before the next can leave anything
   * running: the record as being started, then the program's pid (its wrapper writes it), then the
   * record of the run.
   */
  @Override
  protected void launch(TrackedProcess workload) {
    endSupervisor(workload);
    noteExit(workload); // the last run's end is told before the next run starts
    ProcessRecord record = workload.record();
    // A workload adopted on a node that can no longer limit it is not run unlimited.
    limits.check(record.memoryMb(), record.vcpus());
    WorkloadCgroup cgroup = limits.of(workload.id());
    List<Path> cgroupProcs = cgroup.prepare(record.memoryMb(), record.vcpus());
    // Counted before the run, so that its end can tell whether the kernel killed it for memory.
    Long oomKills = record.memoryMb() > 0 ? cgroup.oomKills().orElse(null) : null;
    try {
      workload.launching(oomKills);
    } catch (UncheckedIOException e) {
      throw failed("cannot record the start of " + workload.id(), e);
    }
    Launcher.Launch run =
        launcher.start(workload.record(), workload.directory(), GONE_AT_START, cgroupProcs);
    try {
      workload.started(run, Instant.now());
    } catch (UncheckedIOException e) {
      // The next agent would find it by its pid file, but this call fails: nothing may run.
      ProcessTree.kill(run.supervisor().toHandle());
      throw failed("cannot record the start of " + workload.id(), e);
    }
    publish(RuntimeEvent.Type.STARTED, workload, null);
    watched.put(workload, run.program());
    run.supervisor().onExit().thenRunAsync(() -> noteExit(workload), this::onRuntimeThread);
  }

  /**
   * Sends SIGTERM to the process and its descendants, and SIGKILL to those left after {@code
   * timeout}; returns once they are gone, and its supervisor (and so its log writer) with them.
   *
   * @throws RuntimeFailure FAILED if they are still there after SIGKILL (stuck in the kernel)
   */
  @Override
  protected void halt(TrackedProcess workload, Duration timeout) {
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

  @Override
  protected Workload describe(TrackedProcess workload) {
    ProcessRecord record = workload.record();
    return new Workload(
        record.id(),
        record.name(),
        record.labels(),
        TrackedProcess.stateOf(record),
        record.exitCode(),
        record.startedAt(),
        record.executable(),
        record.ports(),
        WorkloadKind.PROCESS,
        record.oomKilled());
  }

  /** Removes the workload's cgroups once it is stopped. */
  @Override
  protected void discard(TrackedProcess workload) {
    limits.of(workload.id()).remove();
  }

  @Override
  protected Optional<TrackedProcess> adopt(Path path) {
    WorkloadDirectory directory = new WorkloadDirectory(path);
    Optional<ProcessRecord> record = directory.read();
    if (record.isEmpty()) {
      return Optional.empty();
    }
    TrackedProcess adopted = new TrackedProcess(directory, record.get());
    if (record.get().identity() == null) {
      recoverLaunch(adopted);
      noteExit(adopted);
    }
    ProcessRecord now = adopted.record();
    if (now.identity() != null && !now.exitSeen()) {
      watched.put(adopted, now.identity());
    }
    return Optional.of(adopted);
  }

  /**
   * Records the exit of every watched run that is over; forgets those restarted or removed since.
   */
  private void checkExits() {
    for (var entry : watched.entrySet()) {
      TrackedProcess workload = entry.getKey();
      ProcessRecord record = workload.record();
      if (!workload.removed() && !record.exitSeen() && entry.getValue().equals(record.identity())) {
        noteExit(workload);
      }
      ProcessRecord now = workload.record();
      if (workload.removed() || now.exitSeen() || !entry.getValue().equals(now.identity())) {
        watched.remove(workload, entry.getValue());
      }
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
    Long before = record.oomKillsAtStart();
    boolean oomKilled =
        before != null
            && limits.of(record.id()).oomKills().filter(count -> count > before).isPresent();
    try {
      workload.exited(
          record.identity(),
          exitCode,
          oomKilled,
          Instant.now(),
          exited -> {
            if (oomKilled) {
              publish(RuntimeEvent.Type.OOM, workload, null);
            }
            publish(RuntimeEvent.Type.DIED, workload, exitCode);
          });
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot record the exit of " + record.id(), e);
    }
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
}
