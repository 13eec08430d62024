package dev.berth.runner.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call only when it carries {@code authorization: Bearer <token>} with the agent's token.
 * Anything else (no header, another scheme, another token) gets {@code UNAUTHENTICATED}.
 *
 * <p>The comparison takes the same time whatever the token sent: both sides are hashed first, so
 * that neither a common prefix nor the length of the expected token shows in the response time.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {

  /** The header the token travels in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The scheme before the token, compared without regard to case (RFC 6750). */
  public static final String SCHEME = "Bearer";

  private static final Logger LOG = LoggerFactory.getLogger(BearerTokenInterceptor.class);

  private final byte[] expectedDigest;
  private final RefusalLog refusals;

  /**
   * @param token the token every call must present
   */
  public BearerTokenInterceptor(String token) {
    this(token, new RefusalLog(LOG));
  }

  BearerTokenInterceptor(String token, RefusalLog refusals) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("token: must not be blank");
    }
    this.expectedDigest = digest(token);
    this.refusals = refusals;
  }

  /**
   * An interceptor expecting the token of {@code file}, read once now.
   *
   * @throws IOException when the file is world-readable, too short or unreadable ({@link
   *     TokenFile#readProtected})
   */
  public static BearerTokenInterceptor fromFile(Path file) throws IOException {
    return new BearerTokenInterceptor(TokenFile.readProtected(file));
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    String value = headers.get(AUTHORIZATION);
    if (value == null) {
      refusals.refused("no bearer token", Callers.peer(call), method);
      return Callers.refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "a bearer token is required: send \"authorization: Bearer <token>\""));
    }
    String prefix = SCHEME + " ";
    if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
      refusals.refused("not a bearer authorization", Callers.peer(call), method);
      return Callers.refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "the authorization header must be \"Bearer <token>\""));
    }
    byte[] presented = digest(value.substring(prefix.length()).strip());
    if (!MessageDigest.isEqual(presented, expectedDigest)) {
      refusals.refused("wrong bearer token", Callers.peer(call), method);
      return Callers.refuse(call, Status.UNAUTHENTICATED.withDescription("invalid bearer token"));
    }
    return next.startCall(call, headers);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
