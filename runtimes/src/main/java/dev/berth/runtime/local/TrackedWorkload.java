package dev.berth.runtime.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One workload of a {@link LocalWorkloadRuntime} as this runtime instance knows it: its directory
 * under the state root, and what a kind of runtime records about it (in a subclass).
 *
 * <p>Two locks, so that inspecting never waits for a stop. {@link #operations()} serializes what
 * changes the workload (start, stop, remove, and a runtime's own chores) and may be held for a
 * whole stop timeout. The monitor of this object guards the fields, a subclass's included, and is
 * held only to read or replace them. Invariant: unless {@link #removed()}, the record a subclass
 * holds is what the directory's {@value LocalWorkloadRuntime#STATE_FILE} holds.
 */
public abstract class TrackedWorkload {

  private final ReentrantLock operations = new ReentrantLock();
  private final Path directory;
  private boolean removed;

  /** A workload kept in {@code directory}, named by its id. */
  protected TrackedWorkload(Path directory) {
    this.directory = directory;
  }

  /** The workload's id: the name of its directory. */
  public final String id() {
    return directory.getFileName().toString();
  }

  /** Its name on the node, for events. */
  public abstract String name();

  /** Its labels, for events. */
  public abstract Map<String, String> labels();

  /** What {@link dev.berth.runtime.WorkloadRuntime#logs} reads. */
  public abstract LogFile log();

  /** Whether its current run is alive; start does nothing then. */
  public abstract boolean running();

  /** Held by whoever changes the workload; see the class's description. */
  public final ReentrantLock operations() {
    return operations;
  }

  /**
   * Whether it was removed: then it has no directory any more, and every operation on it fails as
   * not found.
   */
  public final synchronized boolean removed() {
    return removed;
  }

  /**
   * Deletes the workload's directory; from then on it is removed. Under the monitor, so that an
   * exit recorded at the same moment cannot write its file back.
   *
   * @throws java.io.UncheckedIOException if the directory cannot be deleted; it is not removed then
   */
  public final synchronized void delete() {
    StateDirectory.delete(directory, directory.resolve(LocalWorkloadRuntime.STATE_FILE));
    removed = true;
  }
}
