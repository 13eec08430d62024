package dev.berth.runner.security;

import java.nio.file.Path;

/**
 * Where the agent's API listens and who may call it.
 *
 * @param socket the unix socket's path, or null for none; created with mode 0600
 * @param tcp the TCP listener, or null for none
 * @param tokenFile a file holding a bearer token every call must present on every listener, or null
 *     for none; it must not be readable by other users
 */
public record ListenSettings(Path socket, TcpSettings tcp, Path tokenFile) {

  public ListenSettings {
    if (socket == null && tcp == null) {
      throw new IllegalArgumentException(
          "no listener: set a unix socket, a TCP address, or both; otherwise nobody can call the"
              + " agent");
    }
  }

  /** Only a unix socket, without a token. */
  public static ListenSettings unixSocket(Path socket) {
    return new ListenSettings(socket, null, null);
  }

  /** Only a TCP listener, without a token. */
  public static ListenSettings tcp(TcpSettings tcp) {
    return new ListenSettings(null, tcp, null);
  }

  /** These settings with a bearer token read from {@code file}. */
  public ListenSettings withTokenFile(Path file) {
    return new ListenSettings(socket, tcp, file);
  }

  /** These settings with a TCP listener too. */
  public ListenSettings withTcp(TcpSettings listener) {
    return new ListenSettings(socket, listener, tokenFile);
  }
}
