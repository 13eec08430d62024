package dev.berth.acme;

import dev.berth.reconcilers.cert.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Answers http-01 challenges with files for a web server to serve: the token's content goes to
 * {@code <directory>/<token>}, and the web server maps {@code /.well-known/acme-challenge/} onto
 * the directory (nginx: {@code location /.well-known/acme-challenge/ { root ...; }} or {@code alias
 * <directory>/;}).
 *
 * <p>The answers are public by design (the validator fetches them over plain HTTP), so the files
 * and the directory are world-readable: the web server's workers run as another user.
 */
public final class DirectoryResponder implements Http01Responder {

  private final Path directory;

  public DirectoryResponder(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void publish(String token, String content) throws IOException {
    Path file = fileOf(token);
    Files.createDirectories(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    // Atomic, so the validator never fetches a half-written answer.
    SecureFiles.writeAtomically(
        file, content.getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC_FILE);
  }

  @Override
  public void withdraw(String token) throws IOException {
    Files.deleteIfExists(fileOf(token));
  }

  private Path fileOf(String token) {
    return directory.resolve(Http01Responder.requireSafeToken(token));
  }
}
