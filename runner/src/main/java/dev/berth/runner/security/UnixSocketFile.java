package dev.berth.runner.security;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of the agent's unix socket, which is its authentication: only its owner (and root) may
 * connect to a socket of mode 0600.
 *
 * <p>{@code bind(2)} creates the file with the process's umask, so binding at the target path would
 * leave a moment where the socket is more open than 0600. Instead the socket is bound inside a
 * fresh directory of mode 0700 next to the target (nobody else can reach anything inside it), set
 * to 0600 there, and renamed into place: {@code rename(2)} is atomic and keeps the mode, and
 * replaces a stale socket file in the same step. The directory is on the target's file system, so
 * the rename cannot turn into a copy.
 *
 * <p>A socket file already at the target is stale when nobody answers on it (an agent that was
 * killed); it is replaced. One that answers belongs to a running agent, and starting a second one
 * is an error. Anything else at the target (a regular file, a directory) is left alone and is an
 * error too.
 */
final class UnixSocketFile {

  /** {@code sun_path} holds 108 bytes on Linux, one of which ends the string. */
  static final int MAX_PATH_BYTES = 107;

  private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);

  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_SOCKET =
      PosixFilePermissions.fromString("rw-------");

  /** The socket type in the {@code st_mode} bits. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFSOCK = 0140000;

  private final Path target;
  private final Path stagingDirectory;
  private final Path staging;
  private Object installedKey;

  private UnixSocketFile(Path target, Path stagingDirectory) {
    this.target = target;
    this.stagingDirectory = stagingDirectory;
    this.staging = stagingDirectory.resolve("s");
  }

  /**
   * Checks the target and creates the private staging directory where the socket is to be bound.
   *
   * @throws BindException when another agent answers on {@code target}
   * @throws IOException when something else than a socket is at {@code target}, its directory is
   *     missing, or the path is too long for a unix socket
   */
  static UnixSocketFile prepare(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path directory = Objects.requireNonNull(absolute.getParent(), "a socket path has a parent");
    if (!Files.isDirectory(directory)) {
      throw new NoSuchFileException(
          "unix socket " + absolute + ": its directory " + directory + " does not exist");
    }
    checkNotLive(absolute);
    Path staging = createStagingDirectory(directory);
    UnixSocketFile file = new UnixSocketFile(absolute, staging);
    try {
      checkLength(absolute, absolute);
      checkLength(absolute, file.staging);
    } catch (IOException e) {
      file.discardStaging();
      throw e;
    }
    return file;
  }

  /** Where the socket is to be bound: inside the private staging directory. */
  Path bindPath() {
    return staging;
  }

  /** Where clients connect once {@link #install()} has run. */
  Path target() {
    return target;
  }

  /**
   * Restricts the bound socket to its owner and renames it over the target, replacing a stale
   * socket file.
   */
  void install() throws IOException {
    Files.setPosixFilePermissions(staging, OWNER_ONLY_SOCKET);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "unix socket " + target + ": cannot rename the socket into place atomically", e);
    }
    installedKey =
        Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .fileKey();
    discardStaging();
  }

  /**
   * Removes the staging directory, and the socket file at the target when it is still the one this
   * agent installed (another agent may have replaced it since).
   */
  void remove() {
    discardStaging();
    if (installedKey == null) {
      return;
    }
    try {
      Object key =
          Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      if (installedKey.equals(key)) {
        Files.delete(target);
      }
    } catch (NoSuchFileException alreadyGone) {
      // Someone removed it: nothing to clean up.
    } catch (IOException e) {
      LOG.warn("cannot remove the unix socket {}: {}", target, e.toString());
    }
    installedKey = null;
  }

  private void discardStaging() {
    try {
      Files.deleteIfExists(staging);
      Files.deleteIfExists(stagingDirectory);
    } catch (IOException e) {
      LOG.warn("cannot remove the directory {}: {}", stagingDirectory, e.toString());
    }
  }

  private static void checkNotLive(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!isSocket(target)) {
      throw new FileAlreadyExistsException(
          "unix socket "
              + target
              + ": the path exists and is not a socket; refusing to replace it (remove it or"
              + " choose another path)");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(target));
    } catch (ConnectException nobodyAnswers) {
      LOG.atInfo()
          .setMessage("replacing a stale unix socket file (nobody answers on it)")
          .addKeyValue("path", target)
          .log();
      return;
    } catch (IOException e) {
      throw new IOException(
          "unix socket " + target + ": cannot tell whether another agent is listening: " + e, e);
    }
    throw new BindException("another agent is listening on " + target);
  }

  private static boolean isSocket(Path path) throws IOException {
    // The JDK has no portable test for a socket; its "unix" view (Linux, macOS) has the mode bits.
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & S_IFMT) == S_IFSOCK;
  }

  private static Path createStagingDirectory(Path directory) throws IOException {
    // A short random name: the socket path inside must fit in sun_path too.
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    Path staging = directory.resolve(".berth-" + HexFormat.of().formatHex(random));
    Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    // The umask can only have removed bits; this restores the owner's without adding others'.
    Files.setPosixFilePermissions(staging, OWNER_ONLY_DIRECTORY);
    return staging;
  }

  private static void checkLength(Path target, Path path) throws IOException {
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= MAX_PATH_BYTES) {
      return;
    }
    String what =
        path.equals(target)
            ? "the path is " + bytes + " bytes long"
            : "binding it needs the path " + path + " beside it, " + bytes + " bytes long";
    throw new IOException(
        "unix socket "
            + target
            + ": "
            + what
            + "; a unix socket path may have at most "
            + MAX_PATH_BYTES
            + " bytes (choose a shorter path)");
  }
}
