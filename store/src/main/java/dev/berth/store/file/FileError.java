package dev.berth.store.file;

import java.util.Objects;

/**
 * One problem with a service-definition file. Prints as {@code web.toml:7: TOML syntax error: ...}
 * when the parser gave a line, and as {@code web.toml: components[0].routes[1].port: must be
 * 1..65535, was 70000} when the problem has a field path.
 *
 * @param file the file's name (or, when the file itself could not be reached, its full path)
 * @param line the line the TOML parser reported, or 0 when there is none; only the parser knows
 *     lines, so errors found in the values of a well-formed file have none
 * @param path the field path within the file, or empty when the problem is the file as a whole
 * @param message what is wrong, phrased for the person who wrote the file
 */
public record FileError(String file, int line, String path, String message) {

  /** Requires the file and the message; a null path becomes empty (the file as a whole). */
  public FileError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    path = path == null ? "" : path;
  }

  @Override
  public String toString() {
    return file
        + (line > 0 ? ":" + line : "")
        + ": "
        + (path.isEmpty() ? "" : path + ": ")
        + message;
  }
}
