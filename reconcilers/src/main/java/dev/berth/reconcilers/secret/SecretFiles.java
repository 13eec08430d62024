package dev.berth.reconcilers.secret;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's secrets directory: the files components name in {@code [[components.secrets]]}.
 *
 * <p>A file is used only if the directory is the agent's user's and nobody else may write to it,
 * and the file is a regular file (a link to one is followed) owned by the agent's user, with no
 * permission for its group or others (mode 0600 or stricter), at most {@link #MAX_BYTES}, and UTF-8
 * text whose only line break is one at its end (dropped, as {@code echo} adds it), without NUL:
 * what an environment variable can carry. Anything else is refused with an error that names the
 * file and why, never its content, so that the component shows it in status ({@code
 * SecretUnusable}) instead of running with a value others could read or change.
 *
 * <p>Files are read when asked, never cached: a digest is for the planner (part of the spec hash,
 * so a changed file replaces the workload), a value for whoever creates the workload.
 */
public final class SecretFiles {

  /** More than any password, key or token; a secret is an environment variable. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Set<PosixFilePermission> OTHERS_AND_GROUP =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Path directory;
  private final UserPrincipal agentUser;

  private SecretFiles(Path directory, UserPrincipal agentUser) {
    this.directory = directory;
    this.agentUser = agentUser;
  }

  /**
   * The files of {@code directory}, which need not exist yet.
   *
   * @throws IllegalStateException if the agent's own user cannot be looked up
   */
  public static SecretFiles in(Path directory) {
    try {
      UserPrincipal user =
          FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
      return new SecretFiles(directory.toAbsolutePath(), user);
    } catch (IOException e) {
      throw new IllegalStateException("cannot look up the agent's user", e);
    }
  }

  /** A node without a secrets directory: every secret is refused, saying so. */
  public static SecretFiles none() {
    return new SecretFiles(null, null);
  }

  /** The directory, or empty for {@link #none()}. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** The digest of {@code file}'s content, or empty if it cannot be used (see {@link #read}). */
  public Optional<String> digest(String file) {
    try {
      return Optional.of(read(file).digest());
    } catch (RuntimeFailure e) {
      return Optional.empty();
    }
  }

  /**
   * The content of {@code file} (a plain name, as validation requires) and its digest.
   *
   * @throws RuntimeFailure SECRET_UNUSABLE naming the file and why it cannot be used
   */
  public Secret read(String file) {
    if (directory == null) {
      throw unusable("secret file " + file + ": this node has no secrets directory");
    }
    if (file == null || file.isEmpty() || file.contains("/") || file.startsWith(".")) {
      throw unusable("secret file " + file + ": not a plain file name");
    }
    refuseOpenDirectory();
    Path path = directory.resolve(file);
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw unusable("secret file " + path + " does not exist");
    } catch (IOException e) {
      throw unusable("secret file " + path + " cannot be read: " + e.getClass().getSimpleName());
    }
    if (!attributes.isRegularFile()) {
      throw unusable("secret file " + path + " is not a regular file");
    }
    if (!attributes.owner().equals(agentUser)) {
      throw unusable(
          "secret file "
              + path
              + " is owned by "
              + attributes.owner().getName()
              + ", not by the agent's user "
              + agentUser.getName());
    }
    if (attributes.permissions().stream().anyMatch(OTHERS_AND_GROUP::contains)) {
      throw unusable(
          "secret file "
              + path
              + " has mode "
              + mode(attributes.permissions())
              + ": it must be 0600 or stricter (chmod 600 "
              + path
              + ")");
    }
    if (attributes.size() > MAX_BYTES) {
      throw unusable(
          "secret file "
              + path
              + " holds "
              + attributes.size()
              + " bytes, more than the "
              + MAX_BYTES
              + " a secret may");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (IOException e) {
      throw unusable("secret file " + path + " cannot be read: " + e.getClass().getSimpleName());
    }
    return new Secret(value(path, content), "sha256:" + sha256(content));
  }

  /**
   * Refuses every file of a directory others may write to: they could put their own file, or a link
   * to a file of the agent's user that no workload should get, under a name a component uses.
   */
  private void refuseOpenDirectory() {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(directory, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw unusable("secrets directory " + directory + " does not exist");
    } catch (IOException e) {
      throw unusable(
          "secrets directory " + directory + " cannot be read: " + e.getClass().getSimpleName());
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (!attributes.owner().equals(agentUser)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw unusable(
          "secrets directory "
              + directory
              + " (owner "
              + attributes.owner().getName()
              + ", mode "
              + mode(permissions)
              + ") may be written by others than the agent's user "
              + agentUser.getName()
              + ": chown it to that user and chmod 700 it");
    }
  }

  private static String value(Path path, byte[] content) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      throw unusable("secret file " + path + " is not UTF-8 text");
    }
    if (text.endsWith("\r\n")) {
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.indexOf('\0') >= 0) {
      throw unusable(
          "secret file " + path + " holds a NUL byte, which an environment variable cannot carry");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw unusable(
          "secret file "
              + path
              + " holds a line break before its end; a secret is one line (a key or certificate"
              + " belongs in a file the workload reads)");
    }
    return text;
  }

  /** {@code 0644}: the octal mode {@code chmod} takes. */
  static String mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      mode |= 1 << (8 - permission.ordinal());
    }
    return String.format("%04o", mode);
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static RuntimeFailure unusable(String message) {
    return new RuntimeFailure(Reason.SECRET_UNUSABLE, message, (String) null);
  }
}
