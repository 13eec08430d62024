package dev.berth.reconcilers.cert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that must never be seen half-written or with loose permissions: private keys and the
 * certificates that go with them.
 *
 * <p>A file is written to a temporary file in the same directory, created with its final mode (so a
 * key is never readable by others, not even for an instant), forced to disk, renamed over the
 * target in one step and the directory forced too, so a crash leaves either the old file or the new
 * one.
 */
public final class SecureFiles {

  /** For private keys: the owner reads and writes, nobody else. */
  public static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** For certificates: public by nature, readable by the web server's workers. */
  public static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** For directories that hold keys: only the owner may enter or list them. */
  public static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /**
   * Creates the directory and any missing parents, each with mode 0700 from its creation on.
   * Existing directories are left as they are.
   */
  public static Path createPrivateDirectories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return directory;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
    return directory;
  }

  /** Replaces {@code target} with {@code content} in one step, the file having {@code mode}. */
  public static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary =
        Files.createTempFile(
            directory,
            "." + target.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(mode));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // The umask may have taken bits from the creation mode; the final mode is what was asked.
      Files.setPosixFilePermissions(temporary, mode);
      moveAtomically(temporary, target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    forceDirectory(directory);
  }

  private static void moveAtomically(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot replace " + target + " in one step: its file system has no atomic rename", e);
    }
  }

  /** Makes a rename durable: on Linux a directory opened for reading can be forced. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
