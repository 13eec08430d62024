package dev.berth.runner.config;

import java.nio.file.Path;

/**
 * Where the agent's gRPC API listens, and who may call it ({@code [api]}).
 *
 * @param socket the unix socket (created with mode 0600, so only the agent's user and root can call
 *     it), or null when disabled
 * @param tcp the TCP address, or null when disabled
 * @param tokenFile a file holding a bearer token every call must send, or null for none
 * @param tls the TCP listener's mutual TLS ({@code [api.tls]}), or null when the section is absent
 */
public record ApiConfig(Path socket, HostPort tcp, Path tokenFile, TlsConfig tls) {

  /**
   * Next to where the agent runs: the CLI's own default is {@code ./berth.sock} too, so the two
   * find each other without options on a test machine. A node's service sets an absolute path.
   */
  public static final String DEFAULT_SOCKET = "./berth.sock";

  /**
   * The longest unix socket path Linux accepts: {@code sun_path} holds 108 bytes including the
   * terminating NUL. A longer path fails only at bind, with a cryptic error.
   */
  public static final int MAX_SOCKET_PATH_BYTES = 107;
}
