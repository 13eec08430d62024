package dev.berth.store.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time per data directory: a lock on {@code registry.lock}, taken before the
 * registry file is even looked at, and held until the registry is closed. H2 locks its file too,
 * but only once it opened it, and opening may already write; the checks of {@link RegistryFile}
 * must run while no other agent can be writing. The lock file holds the holder's pid, for the
 * message of the one refused.
 *
 * <p>The pid also tells how the last holder stopped: a clean close empties the file before it lets
 * go of the lock, so a pid found by the next holder means the one before was killed (or crashed)
 * while it held the registry open.
 */
final class RegistryLock implements AutoCloseable {

  static final String FILE = "registry.lock";

  private final FileChannel channel;
  private final FileLock lock;
  private final boolean previousHolderStoppedUncleanly;

  private RegistryLock(FileChannel channel, FileLock lock, boolean previousHolderStoppedUncleanly) {
    this.channel = channel;
    this.lock = lock;
    this.previousHolderStoppedUncleanly = previousHolderStoppedUncleanly;
  }

  /**
   * Takes the lock of {@code directory}.
   *
   * @throws RegistryException if another process holds it (naming its pid), or it cannot be taken
   */
  static RegistryLock take(Path directory) {
    Path file = directory.toAbsolutePath().resolve(FILE);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this very process has it open already
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new RegistryException(
            "the registry in "
                + directory.toAbsolutePath()
                + " is locked by another process"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
      }
      boolean unclean = channel.size() > 0;
      channel.truncate(0);
      channel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"), 0);
      return new RegistryLock(channel, lock, unclean);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new RegistryException(
          "cannot write in the registry's directory "
              + directory.toAbsolutePath()
              + " (to lock it): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Whether the holder before this one held the lock until it died, without closing the registry: a
   * kill -9, a crash or a power loss.
   */
  boolean previousHolderStoppedUncleanly() {
    return previousHolderStoppedUncleanly;
  }

  /** Releases the lock after a clean close of the registry, saying so to the next holder. */
  void closeCleanly() {
    try {
      channel.truncate(0);
    } catch (IOException e) {
      // The next holder then takes the stop for an unclean one: one needless rewrite of the file.
    }
    close();
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel releases it anyway.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to release that closing does not.
      }
    }
  }
}
