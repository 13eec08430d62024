package dev.berth.runner.config;

import dev.berth.reconcilers.route.nginx.NginxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node's proxy ({@code [routes]}): an nginx that Berth configures completely, with its own
 * {@code nginx.conf} and prefix; the system's nginx configuration is never read.
 *
 * @param enabled whether routes are served; when false, host ports are still allocated and L7
 *     certificates still obtained, but nothing proxies
 * @param nginx the nginx executable: a path, or a name looked up on the PATH
 * @param confDir where Berth writes {@code nginx.conf}
 * @param prefix nginx's {@code -p} directory: pid file, logs, temporary files, sockets
 * @param listenAddress the IP address every route's listener binds to
 * @param streamModule nginx's dynamic stream module (for L4 routes), loaded when the file exists;
 *     null when nginx has it built in
 * @param startNginx start nginx when it is not running; false when something else (a systemd unit)
 *     starts it and Berth only writes its configuration and reloads it
 * @param stopNginxOnExit stop the nginx Berth started when the agent stops. False by default: nginx
 *     keeps serving the last routes while the agent restarts or is upgraded, and the next agent
 *     adopts it (it finds the master through the pid file).
 * @param commandTimeout how long one nginx command ({@code -t}, reload, start) may take
 * @param reloadTimeout how long a reload or start may take to take effect
 * @param stopTimeout how long a graceful quit may take before nginx is killed
 * @param defaultDomain the domain an l7 route without a hostname is served under, as {@code
 *     <service>.<domain>}; null for none, and such a route is refused at apply
 */
public record RoutesConfig(
    boolean enabled,
    String nginx,
    Path confDir,
    Path prefix,
    String listenAddress,
    Path streamModule,
    boolean startNginx,
    boolean stopNginxOnExit,
    Duration commandTimeout,
    Duration reloadTimeout,
    Duration stopTimeout,
    String defaultDomain) {

  /**
   * Off: serving routes needs nginx installed and usually root for low ports, which a first run on
   * a laptop has neither of. Ports are allocated either way, so turning it on later moves nothing.
   */
  public static final boolean DEFAULT_ENABLED = false;

  public static final String DEFAULT_NGINX = NginxConfig.DEFAULT_BINARY;

  /** Under the data directory, with the rest of the node's state: {@code <data_dir>/nginx}. */
  public static final String DEFAULT_CONF_DIR = "nginx";

  /**
   * {@code <data_dir>/nginx/run}: derived from the data directory, not from conf_dir, so a conf_dir
   * moved to {@code /etc} does not take nginx's pid file and sockets along.
   */
  public static final String DEFAULT_PREFIX = "nginx/run";

  /** Every IPv4 interface: the proxy faces the node's clients (nginx's own default). */
  public static final String DEFAULT_LISTEN_ADDRESS = NginxConfig.DEFAULT_LISTEN_ADDRESS;

  /** Where Debian's {@code libnginx-mod-stream} installs it; see {@link NginxConfig}. */
  public static final Path DEFAULT_STREAM_MODULE = NginxConfig.DEFAULT_STREAM_MODULE;

  /** Berth manages the node's proxy: without a running nginx no route is served. */
  public static final boolean DEFAULT_START_NGINX = NginxConfig.DEFAULT_START_IF_NOT_RUNNING;

  /** Keep serving across agent restarts; see {@link #stopNginxOnExit()}. */
  public static final boolean DEFAULT_STOP_NGINX_ON_EXIT = false;

  public static final Duration DEFAULT_COMMAND_TIMEOUT = NginxConfig.DEFAULT_COMMAND_TIMEOUT;
  public static final Duration DEFAULT_RELOAD_TIMEOUT = NginxConfig.DEFAULT_RELOAD_TIMEOUT;
  public static final Duration DEFAULT_STOP_TIMEOUT = NginxConfig.DEFAULT_STOP_TIMEOUT;

  public RoutesConfig {
    Objects.requireNonNull(nginx, "nginx");
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(reloadTimeout, "reloadTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
  }
}
