package dev.berth.runtime.process;

import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One workload as this runtime instance knows it: its directory, its record, and the process of its
 * current run when this JVM started it.
 *
 * <p>Two locks, so that inspecting never waits for a stop. {@link #operations} serializes what
 * changes the process (start, stop, remove, rotating its log) and may be held for a whole stop
 * timeout. The monitor of this object guards the fields and is held only to read or replace them.
 * Invariants: once started and unless {@code removed}, {@code record} is what {@code state.json}
 * holds; {@code child}, when not null, is the process of {@code record.identity()}.
 */
final class TrackedProcess {

  final ReentrantLock operations = new ReentrantLock();

  private final WorkloadDirectory directory;
  private ProcessRecord record;
  private Process child;
  private boolean removed;

  TrackedProcess(WorkloadDirectory directory, ProcessRecord record) {
    this.directory = directory;
    this.record = record;
  }

  WorkloadDirectory directory() {
    return directory;
  }

  synchronized ProcessRecord record() {
    return record;
  }

  /** The current run's process if this JVM started it; null if adopted or never started. */
  synchronized Process child() {
    return child;
  }

  synchronized boolean removed() {
    return removed;
  }

  /** Records a new run, on disk first: a crash right after must still find this process. */
  synchronized void started(Process process, ProcessIdentity identity, Instant at) {
    ProcessRecord next = record.started(identity, at);
    directory.write(next);
    record = next;
    child = process;
  }

  /**
   * Records that the run of {@code process} ended, unless that is known already, a later run
   * replaced it, or the workload was removed (an exit seen late must not bring its file back); and
   * if this call recorded it, {@code announce}s it. Announcing under the lock keeps the events in
   * the order of the changes: a removal waits, so its event cannot overtake this one.
   */
  synchronized void exited(
      ProcessIdentity process, Integer exitCode, Instant at, Consumer<ProcessRecord> announce) {
    if (removed || record.exitSeen() || !process.equals(record.identity())) {
      return;
    }
    ProcessRecord next = record.exited(exitCode, at);
    directory.write(next);
    record = next;
    announce.accept(next);
  }

  /**
   * Deletes the workload's directory; from then on it is removed. Under the monitor, so that an
   * exit recorded at the same moment cannot write its file back.
   *
   * @throws java.io.UncheckedIOException if the directory cannot be deleted; it is not removed then
   */
  synchronized void delete() {
    directory.delete();
    removed = true;
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
