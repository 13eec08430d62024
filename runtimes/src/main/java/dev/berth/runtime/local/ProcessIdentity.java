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
        .filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().startInstant().map(startedAt::equals).orElse(false));
  }

  public boolean alive() {
    return find().isPresent();
  }
}
