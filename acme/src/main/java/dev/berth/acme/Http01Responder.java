package dev.berth.acme;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Answers ACME http-01 challenges: makes {@code http://<domain>/.well-known/acme-challenge/<token>}
 * return the content, for as long as the challenge runs.
 */
public interface Http01Responder {

  /** The path prefix under which validators fetch the token. */
  String PATH_PREFIX = "/.well-known/acme-challenge/";

  /** Starts serving {@code content} at {@link #PATH_PREFIX}{@code <token>}. */
  void publish(String token, String content) throws IOException;

  /** Stops serving the token; nothing happens if it is not published. */
  void withdraw(String token) throws IOException;

  /**
   * Returns the token if it is safe as a file and URL path segment. Tokens come from the ACME
   * server: RFC 8555 makes them base64url, and anything else is refused rather than trusted.
   *
   * @throws IllegalArgumentException if it is not base64url
   */
  static String requireSafeToken(String token) {
    if (token == null || !Token.BASE64URL.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "ACME challenge token '" + token + "' is not base64url; refusing it as a file name");
    }
    return token;
  }

  /** Holds the pattern: interfaces cannot have private constants. */
  final class Token {
    static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private Token() {}
  }
}
