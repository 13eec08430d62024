package dev.berth.runtime.process;

import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.TrackedWorkload;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One workload as this runtime instance knows it: its directory, its record, and the supervisor of
 * its current run when this JVM started it. Locks and invariants as {@link TrackedWorkload} says;
 * also, {@code supervisor}, when not null, is the process of {@code record.supervisor()}.
 */
final class TrackedProcess extends TrackedWorkload {

  private final WorkloadDirectory directory;
  private ProcessRecord record;
  private Process supervisor;

  TrackedProcess(WorkloadDirectory directory, ProcessRecord record) {
    super(directory.path());
    this.directory = directory;
    this.record = record;
  }

  @Override
  public String name() {
    return record().name();
  }

  @Override
  public Map<String, String> labels() {
    return record().labels();
  }

  /** The process's output, stdout and stderr interleaved as written. */
  @Override
  public LogFile log() {
    return directory.output();
  }

  @Override
  public boolean running() {
    return stateOf(record()) == WorkloadState.RUNNING;
  }

  WorkloadDirectory directory() {
    return directory;
  }

  synchronized ProcessRecord record() {
    return record;
  }

  /** The current run's supervisor if this JVM started it; null if adopted or never started. */
  synchronized Process supervisor() {
    return supervisor;
  }

  /**
   * Records, on disk first, that a start is under way: from here on a crash leaves a workload whose
   * next agent looks for what the start left, never one whose last run seems current.
   */
  synchronized void launching(Long oomKills) {
    ProcessRecord next = record.launching(oomKills);
    directory.write(next);
    record = next;
    supervisor = null;
  }

  /** Records a new run, on disk first. */
  synchronized void started(Launcher.Launch run, Instant at) {
    ProcessRecord next = record.started(run.program(), run.supervisorIdentity(), at);
    directory.write(next);
    record = next;
    supervisor = run.supervisor();
  }

  /** Records a run a previous agent started and a crash kept from recording (no child of ours). */
  synchronized void recovered(ProcessIdentity program, ProcessIdentity supervisedBy, Instant at) {
    ProcessRecord next = record.started(program, supervisedBy, at);
    directory.write(next);
    record = next;
  }

  /**
   * Records that the run of {@code program} ended, unless that is known already, a later run
   * replaced it, or the workload was removed (an exit seen late must not bring its file back); and
   * if this call recorded it, {@code announce}s it. Announcing under the lock keeps the events in
   * the order of the changes: a removal waits, so its event cannot overtake this one.
   *
   * @param oomKilled whether the kernel ended the run for exceeding its memory limit
   */
  synchronized void exited(
      ProcessIdentity program,
      Integer exitCode,
      boolean oomKilled,
      Instant at,
      Consumer<ProcessRecord> announce) {
    if (removed() || record.exitSeen() || !program.equals(record.identity())) {
      return;
    }
    ProcessRecord next = record.exited(exitCode, oomKilled, at);
    directory.write(next);
    record = next;
    announce.accept(next);
  }

  /** The state as observed now: the record says what it knows, the process table the rest. */
  static WorkloadState stateOf(ProcessRecord record) {
    if (record.identity() == null) {
      return WorkloadState.CREATED;
    }
    if (record.exitSeen()) {
      return WorkloadState.EXITED;
    }
    return record.identity().alive() ? WorkloadState.RUNNING : WorkloadState.EXITED;
  }
}
