package dev.berth.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The per-workload directory of a local runtime (process, VM): its state file and its files. */
public final class StateDirectory {

  private StateDirectory() {}

  /**
   * Deletes {@code directory} and everything in it; nothing if it is already gone. The state file
   * goes last, so that a deletion failing halfway leaves a workload that can be removed again, not
   * an anonymous directory. A {@code stateFile} of null: the directory holds none.
   */
  public static void delete(Path directory, Path stateFile) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path each : deepestFirst) {
        if (!each.equals(directory) && !each.equals(stateFile)) {
          Files.deleteIfExists(each);
        }
      }
      if (stateFile != null) {
        Files.deleteIfExists(stateFile);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e.getCause());
    }
  }
}
