package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an agent running as root refuses before it starts anything: a data directory, an API
 * socket's directory or a token file that another user could change or read. Whoever writes the
 * data directory rewrites what root runs; whoever replaces the socket answers the operator's
 * commands; whoever reads the token (group members included) calls the agent as root.
 *
 * <p>The rules, each checked on what exists (what the agent creates, it creates right):
 *
 * <ul>
 *   <li>each is owned by root, since its owner can change its mode;
 *   <li>{@code data_dir}: no read or write for group and others. Traversal ({@code x}) stays
 *       allowed: nginx's workers run as {@code nobody} and reach their files under it by name;
 *   <li>the socket's directory: no write for group and others. Reading it only lists a socket whose
 *       own mode (0600) keeps others out, so {@code /run}-like directories stay allowed;
 *   <li>{@code api.token_file}: no permission at all for group and others.
 * </ul>
 *
 * An agent not running as root has nothing to protect that its user does not already own, and is
 * checked by nothing here.
 */
public final class PrivatePaths {

  private static final Set<PosixFilePermission> READ_OR_WRITE_BY_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private static final Set<PosixFilePermission> WRITE_BY_OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private static final Set<PosixFilePermission> ANY_BY_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private PrivatePaths() {}

  /**
   * The problems with {@code config}'s paths for an agent whose user is root or not.
   *
   * @param root whether the agent runs as root ({@link #runningAsRoot()}); a parameter so that the
   *     rules can be tested by any user
   */
  public static List<Violation> check(AgentConfig config, boolean root) {
    List<Violation> errors = new ArrayList<>();
    if (!root) {
      return errors;
    }
    check(errors, "data_dir", config.dataDir(), READ_OR_WRITE_BY_OTHERS, "chmod 711 ");
    Path socket = config.api().socket();
    if (socket != null && socket.toAbsolutePath().getParent() != null) {
      check(
          errors,
          "api.socket",
          socket.toAbsolutePath().getParent(),
          WRITE_BY_OTHERS,
          "chmod go-w ");
    }
    if (config.api().tokenFile() != null) {
      check(errors, "api.token_file", config.api().tokenFile(), ANY_BY_OTHERS, "chmod 600 ");
    }
    return errors;
  }

  /** Whether this process runs as root: {@code /proc/self} belongs to the process's user. */
  public static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void check(
      List<Violation> errors, String key, Path path, Set<PosixFilePermission> refused, String fix) {
    PosixFileAttributes attributes;
    Object uid;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class);
      uid = Files.getAttribute(path, "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return; // Missing: the agent creates it, or another check reports it.
    }
    String shown = Rules.quote(path.toString());
    String owner = attributes.owner().getName();
    if (!Integer.valueOf(0).equals(uid)) {
      errors.add(
          new Violation(
              key,
              "must be owned by root when the agent runs as root, was "
                  + shown
                  + " owned by "
                  + owner
                  + ", who could change it; run chown root "
                  + path));
    }
    Set<PosixFilePermission> granted = EnumSet.noneOf(PosixFilePermission.class);
    granted.addAll(attributes.permissions());
    granted.retainAll(refused);
    if (!granted.isEmpty()) {
      errors.add(
          new Violation(
              key,
              "must not be "
                  + what(refused)
                  + " by other users when the agent runs as root, was "
                  + shown
                  + " with mode "
                  + PosixFilePermissions.toString(attributes.permissions())
                  + "; run "
                  + fix
                  + path));
    }
  }

  private static String what(Set<PosixFilePermission> refused) {
    if (refused.equals(WRITE_BY_OTHERS)) {
      return "writable";
    }
    return refused.equals(ANY_BY_OTHERS)
        ? "readable or writable (group included)"
        : "readable or writable";
  }
}
