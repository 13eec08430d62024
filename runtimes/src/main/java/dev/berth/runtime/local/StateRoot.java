package dev.berth.runtime.local;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory under which a local runtime (process, VM) keeps one directory per workload, named
 * by the workload's id: a prefix and 12 hex digits.
 */
public final class StateRoot {

  private static final System.Logger LOG = System.getLogger(StateRoot.class.getName());

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path path;
  private final String runtime;
  private final String prefix;
  private final Pattern id;

  /**
   * @param path the root directory
   * @param runtime the runtime's name, for messages
   * @param prefix what every id starts with, such as {@code proc-}
   */
  public StateRoot(Path path, String runtime, String prefix) {
    this.path = path;
    this.runtime = runtime;
    this.prefix = prefix;
    this.id = Pattern.compile(Pattern.quote(prefix) + "[0-9a-f]{12}");
  }

  /** The root directory. */
  public Path path() {
    return path;
  }

  /** Whether {@code candidate} is an id of this runtime; also keeps "../x" from naming a path. */
  public boolean isId(String candidate) {
    return candidate != null && id.matcher(candidate).matches();
  }

  /**
   * Deletes the workload directories that hold no {@code stateFile}, and returns their ids. A
   * runtime writes a workload's state file before it starts anything, so such a directory is a
   * create that a crash cut short before it ran anything: it is no workload, and left there it
   * would be a leak no listing shows. Call it only while nothing creates workloads under this root
   * (when a runtime opens it), or it would delete a directory being created.
   *
   * @throws RuntimeFailure UNAVAILABLE if the root cannot be read
   */
  public List<String> deleteUnrecorded(String stateFile) {
    List<String> deleted = new ArrayList<>();
    for (String each : ids()) {
      Path directory = path.resolve(each);
      if (!Files.exists(directory.resolve(stateFile))) {
        try {
          StateDirectory.delete(directory, directory.resolve(stateFile));
          deleted.add(each);
        } catch (UncheckedIOException e) {
          LOG.log(
              Level.WARNING, runtime + ": cannot delete " + directory + ", tried again later", e);
        }
      }
    }
    return deleted;
  }

  /** The ids of every workload directory present, sorted. */
  public List<String> ids() {
    try (Stream<Path> children = Files.list(path)) {
      return children
          .map(child -> child.getFileName().toString())
          .filter(this::isId)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new RuntimeFailure(Reason.UNAVAILABLE, runtime + ": cannot read " + path, e);
    }
  }

  /**
   * A new directory with a fresh id; creating it is what claims the id. Only its owner may enter
   * it: it holds the workload's logs.
   */
  public Path newDirectory() {
    while (true) {
      String fresh =
          prefix + String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
      try {
        Path created = Files.createDirectory(path.resolve(fresh), OWNER_ONLY);
        // The umask may have taken bits away from the mode asked for, never added any: set it.
        Files.setPosixFilePermissions(created, OWNER_ONLY.value());
        return created;
      } catch (FileAlreadyExistsException taken) {
        // 48 random bits: a collision is rare enough to simply draw again.
      } catch (IOException e) {
        throw new RuntimeFailure(
            Reason.UNAVAILABLE, runtime + ": cannot create a directory in " + path, e);
      }
    }
  }
}
