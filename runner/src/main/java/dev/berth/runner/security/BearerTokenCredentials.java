package dev.berth.runner.security;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * The client side of {@link BearerTokenInterceptor}: sends {@code authorization: Bearer <token>}
 * with every call.
 *
 * <p>The token is sent whatever the transport's security level: a unix socket has none in gRPC's
 * eyes yet never leaves the kernel, and plain TCP is only served when the operator started the
 * agent with {@code --insecure-listen}, accepting that the token travels in clear.
 */
public final class BearerTokenCredentials extends CallCredentials {

  private final String token;

  /**
   * @param token the token to send
   */
  public BearerTokenCredentials(String token) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("token: must not be blank");
    }
    this.token = token;
  }

  /**
   * Credentials sending the token of {@code file} ({@link TokenFile#read}).
   *
   * @throws IOException naming the file when it cannot be read or is empty
   */
  public static BearerTokenCredentials fromFile(Path file) throws IOException {
    return new BearerTokenCredentials(TokenFile.read(file));
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, BearerTokenInterceptor.SCHEME + " " + token);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    // Never the token: credentials end up in debug output.
    return "BearerTokenCredentials[token=***]";
  }
}
