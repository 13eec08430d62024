package dev.berth.runner.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: a path is used as is, a name is looked up on the PATH. */
final class Executables {

  private Executables() {}

  /** The executable {@code program} names, if there is one, using this process's PATH. */
  static Optional<Path> find(String program) {
    return find(program, System.getenv("PATH"));
  }

  static Optional<Path> find(String program, String searchPath) {
    try {
      if (program.contains("/")) {
        return executable(Path.of(program));
      }
      if (searchPath == null) {
        return Optional.empty();
      }
      for (String directory : searchPath.split(File.pathSeparator)) {
        if (!directory.isEmpty()) {
          Optional<Path> found = executable(Path.of(directory, program));
          if (found.isPresent()) {
            return found;
          }
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<Path> executable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file)
        ? Optional.of(file)
        : Optional.empty();
  }

  /** How a missing program is described: where it was looked for. */
  static String whereLooked(String program) {
    return program.contains("/") ? "is not an executable file" : "is not found on the PATH";
  }
}
