package dev.berth.runner.config;

import dev.berth.reconcilers.route.nginx.NginxConfig;
import java.util.Objects;

/**
 * The node's proxy ({@code [routes]}): an nginx that Berth configures completely, with its own
 * {@code nginx.conf} and prefix; the system's nginx configuration is never read.
 *
 * @param enabled whether routes are served; when false, host ports are still allocated and L7
 *     certificates still obtained, but nothing proxies
 * @param nginx how nginx runs, read straight from the table's other keys (see {@link NginxConfig}
 *     for their defaults and rules); the ACME challenge server is added from {@code
 *     [certificates.acme]} when the node is assembled
 * @param stopNginxOnExit stop the nginx Berth started when the agent stops. False by default: nginx
 *     keeps serving the last routes while the agent restarts or is upgraded, and the next agent
 *     adopts it (it finds the master through the pid file).
 * @param defaultDomain the domain an l7 route without a hostname is served under, as {@code
 *     <service>.<domain>}; null for none, and such a route is refused at apply
 */
public record RoutesConfig(
    boolean enabled, NginxConfig nginx, boolean stopNginxOnExit, String defaultDomain) {

  /**
   * Off: serving routes needs nginx installed and usually root for low ports, which a first run on
   * a laptop has neither of. Ports are allocated either way, so turning it on later moves nothing.
   */
  public static final boolean DEFAULT_ENABLED = false;

  /** Under the data directory, with the rest of the node's state: {@code <data_dir>/nginx}. */
  public static final String DEFAULT_CONF_DIR = "nginx";

  /**
   * {@code <data_dir>/nginx/run}: derived from the data directory, not from conf_dir, so a conf_dir
   * moved to {@code /etc} does not take nginx's pid file and sockets along.
   */
  public static final String DEFAULT_PREFIX = "nginx/run";

  /** Keep serving across agent restarts; see {@link #stopNginxOnExit()}. */
  public static final boolean DEFAULT_STOP_NGINX_ON_EXIT = false;

  public RoutesConfig {
    Objects.requireNonNull(nginx, "nginx");
  }
}
