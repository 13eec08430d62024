package dev.berth.runner.cli;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Sends {@code authorization: Bearer <token>} with every call: the agent's optional second factor.
 */
final class BearerToken extends CallCredentials {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String token;

  private BearerToken(String token) {
    this.token = token;
  }

  /**
   * The token held in {@code file}, without surrounding whitespace (files usually end with a
   * newline). A file that cannot be read, or holds nothing, is the caller's to fix: exit 1.
   */
  static BearerToken fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new CliException(
          ExitCodes.FAILED, "cannot read the token file " + file + ": no such file");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILED, "cannot read the token file " + file + ": " + e.getMessage());
    }
    if (text.isEmpty()) {
      throw new CliException(ExitCodes.FAILED, "the token file " + file + " is empty");
    }
    if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new CliException(
          ExitCodes.FAILED,
          "the token file "
              + file
              + " must hold one token of printable ASCII characters, without spaces");
    }
    return new BearerToken(text);
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    applier.apply(headers);
  }
}
