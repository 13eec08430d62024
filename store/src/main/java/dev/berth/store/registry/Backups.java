package dev.berth.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Backups of the registry: taken online (H2's BACKUP, a consistent zip of the database file),
 * restored offline, when no agent holds the file.
 */
final class Backups {

  static final String FILE = Database.NAME + ".mv.db";

  private Backups() {}

  static void backup(Database database, Path zip) {
    Path target = zip.toAbsolutePath();
    database.transaction(
        connection -> {
          try {
            Files.createDirectories(target.getParent());
          } catch (IOException e) {
            throw new RegistryException("cannot create " + target.getParent() + ": " + e, e);
          }
          try (var statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
          }
          return null;
        });
  }

  /**
   * Replaces the registry in {@code dataDirectory} with the one in {@code zip}. The current file,
   * if any, is kept beside it as {@code registry.mv.db.before-restore-<millis>}; if the restored
   * file does not open, the current one is put back.
   */
  static Path restore(Path zip, Path dataDirectory, Clock clock) {
    if (!Files.isRegularFile(zip)) {
      throw new RegistryException("no backup file at " + zip);
    }
    Path live = dataDirectory.toAbsolutePath().resolve(FILE);
    Path staged = dataDirectory.toAbsolutePath().resolve(FILE + ".restoring");
    try {
      Files.createDirectories(dataDirectory);
      extract(zip, staged);
      Path keptAside = null;
      if (Files.exists(live)) {
        requireNotInUse(live);
        keptAside = live.resolveSibling(FILE + ".before-restore-" + clock.millis());
        Files.move(live, keptAside);
      }
      Files.move(staged, live, StandardCopyOption.ATOMIC_MOVE);
      try {
        Database.open(dataDirectory, clock).close();
      } catch (RuntimeException e) {
        Files.delete(live);
        if (keptAside != null) {
          Files.move(keptAside, live);
        }
        throw new RegistryException(
            "the backup "
                + zip
                + " does not open as a registry; nothing was changed: "
                + e.getMessage(),
            e);
      }
      return keptAside;
    } catch (IOException e) {
      throw new RegistryException("restoring " + zip + " failed: " + e, e);
    } finally {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException ignored) {
        // A leftover staging file is harmless and is overwritten next time.
      }
    }
  }

  private static void extract(Path zip, Path target) throws IOException {
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      ZipEntry entry = archive.getEntry(FILE);
      if (entry == null) {
        throw new RegistryException(zip + " is not a registry backup: it holds no " + FILE);
      }
      try (InputStream in = archive.getInputStream(entry)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** H2 holds a lock on the file while it is open, in this process or another. */
  private static void requireNotInUse(Path live) throws IOException {
    try (FileChannel channel = FileChannel.open(live, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(live);
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw inUse(live);
    }
  }

  private static RegistryException inUse(Path live) {
    return new RegistryException(
        "the registry " + live + " is in use: stop the agent before restoring a backup");
  }
}
