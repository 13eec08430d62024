package dev.berth.runtime.local;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory under which a local runtime (process, VM) keeps one directory per workload, named
 * by the workload's id: a prefix and 12 hex digits.
 */
public final class StateRoot {

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

  public Path path() {
    return path;
  }

  /** Whether {@code candidate} is an id of this runtime; also keeps "../x" from naming a path. */
  public boolean isId(String candidate) {
    return candidate != null && id.matcher(candidate).matches();
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

  /** A new directory with a fresh id; creating it is what claims the id. */
  public Path newDirectory() {
    while (true) {
      String fresh =
          prefix + String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
      try {
        return Files.createDirectory(path.resolve(fresh));
      } catch (FileAlreadyExistsException taken) {
        // 48 random bits: a collision is rare enough to simply draw again.
      } catch (IOException e) {
        throw new RuntimeFailure(
            Reason.UNAVAILABLE, runtime + ": cannot create a directory in " + path, e);
      }
    }
  }
}
