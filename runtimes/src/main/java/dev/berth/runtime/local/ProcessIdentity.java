package dev.berth.runtime.local;

import java.time.Instant;
import java.util.Optional;

/**
 * A host process told apart from any later process that reuses its pid: the pid and the kernel's
 * record of when it started. Written to disk, it lets a new agent find its processes again.
 *
 * @param pid the process id
 * @param startedAt when the kernel started it ({@code /proc/PID/stat}), never null
 */
public record ProcessIdentity(long pid, Instant startedAt) {

  /** The identity of a live process; empty if it is gone or its start time cannot be read. */
  public static Optional<ProcessIdentity> of(ProcessHandle process) {
    return process.info().startInstant().map(start -> new ProcessIdentity(process.pid(), start));
  }

  /** The process, if it still runs and is the same one (same pid, same start time). */
  public Optional<ProcessHandle> find() {
    return ProcessHandle.of(pid)
        .filter(ProcessIdentity::running)
        .filter(handle -> handle.info().startInstant().map(startedAt::equals).orElse(false));
  }

  /**
   * Whether the process runs. Unlike {@link ProcessHandle#isAlive()}, a zombie (exited, not yet
   * reaped by its parent) does not: where PID 1 does not reap orphans (a container without an
   * init), an agent's orphaned process that exits stays a zombie for good.
   */
  public static boolean running(ProcessHandle process) {
    return process.isAlive() && !zombie(process.pid());
  }

  /** Linux only ({@code /proc/PID/stat}); elsewhere, never. */
  private static boolean zombie(long pid) {
    return ProcStat.of(pid).map(ProcStat::zombie).orElse(false);
  }

  /**
   * The live process {@code pid} if it is the one that started at {@code startTicks} ({@link
   * ProcStat#startTicks()}), as a launch wrapper wrote them down; empty if it is gone or the pid
   * now names a later process.
   */
  public static Optional<ProcessIdentity> ofStartTicks(long pid, long startTicks) {
    Optional<ProcessHandle> process =
        ProcessHandle.of(pid)
            .filter(ProcessIdentity::running)
            .filter(
                handle -> ProcStat.of(pid).map(s -> s.startTicks() == startTicks).orElse(false));
    return process.flatMap(ProcessIdentity::of);
  }

  /** Whether the process still runs and is the same one ({@link #find()}). */
  public boolean alive() {
    return find().isPresent();
  }
}
