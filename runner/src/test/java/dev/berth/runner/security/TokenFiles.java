package dev.berth.runner.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Token files as an operator writes them. */
final class TokenFiles {

  private TokenFiles() {}

  /** Writes {@code token} and a newline to {@code token} in {@code directory}, mode 0600. */
  static Path write(Path directory, String token) throws IOException {
    return write(directory.resolve("token"), token, "rw-------");
  }

  /** Writes {@code token} and a newline to {@code file} with {@code mode} (e.g. rw-r--r--). */
  static Path write(Path file, String token, String mode) throws IOException {
    Files.writeString(file, token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
