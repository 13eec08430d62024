package dev.berth.reconcilers.route.nginx;

import dev.berth.spec.validation.Rules;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link NginxRegistrar} runs nginx. Berth owns two directories: {@code configDirectory}, where
 * it renders the complete {@code nginx.conf}, and {@code prefix}, nginx's {@code -p} directory for
 * the pid file, logs, temporary files and the unix sockets that join a shared listener port's
 * stream and http halves. nginx runs as {@code nginx -c <configDirectory>/nginx.conf -p <prefix>}
 * and reads nothing of the system's own configuration.
 *
 * <p>When nginx's master runs as root its workers run as nginx's default unprivileged user; that
 * user must be able to search the prefix's parent directories (to reach the sockets) and to read
 * the ACME challenge directory.
 *
 * @param binary the nginx executable: a path, or a name looked up on the PATH ({@link
 *     Rules#program}); default {@link #DEFAULT_BINARY}
 * @param configDirectory where Berth writes {@code nginx.conf} (and its candidate while validating)
 * @param prefix nginx's prefix ({@code -p}): pid file, {@code logs/}, {@code temp/}, {@code
 *     sockets/}
 * @param listenAddress the address every listener port binds to ({@link #listenAddress(String)});
 *     default {@link #DEFAULT_LISTEN_ADDRESS}
 * @param streamModule the dynamic stream module, loaded when this file exists; null when nginx has
 *     the module built in (or has none); default {@link #DEFAULT_STREAM_MODULE}
 * @param startIfNotRunning start nginx when it is not running, rather than only writing its
 *     configuration for someone else (a systemd unit) to start; default {@link
 *     #DEFAULT_START_IF_NOT_RUNNING}
 * @param acmeChallenge the http-01 challenge server, or null (the default) for none
 * @param commandTimeout how long one nginx command ({@code -t}, {@code -s reload}, start) may take;
 *     default {@link #DEFAULT_COMMAND_TIMEOUT}
 * @param reloadTimeout how long a reload or start may take to become effective; default {@link
 *     #DEFAULT_RELOAD_TIMEOUT}
 * @param stopTimeout how long a graceful quit may take before nginx is killed; default {@link
 *     #DEFAULT_STOP_TIMEOUT}
 * @param checkTimeout how long each listener may take to answer the health check, before nginx
 *     counts as hung; default {@link #DEFAULT_CHECK_TIMEOUT}
 */
public record NginxConfig(
    String binary,
    Path configDirectory,
    Path prefix,
    String listenAddress,
    Path streamModule,
    boolean startIfNotRunning,
    AcmeChallenge acmeChallenge,
    Duration commandTimeout,
    Duration reloadTimeout,
    Duration stopTimeout,
    Duration checkTimeout) {

  /** {@code nginx} on the PATH, as a package installs it. */
  public static final String DEFAULT_BINARY = "nginx";

  /** Every interface: the node's proxy faces its clients. */
  public static final String DEFAULT_LISTEN_ADDRESS = "0.0.0.0";

  /** Where Debian's {@code libnginx-mod-stream} installs the stream module. */
  public static final Path DEFAULT_STREAM_MODULE =
      Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

  /** Berth is the node's proxy manager: without a running nginx no route is served. */
  public static final boolean DEFAULT_START_IF_NOT_RUNNING = true;

  /** {@code nginx -t} on a large configuration takes well under a second; only a hang nears it. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** New workers start within milliseconds; this only bounds a master that does not react. */
  public static final Duration DEFAULT_RELOAD_TIMEOUT = Duration.ofSeconds(30);

  /** Long enough for short requests in flight to finish; long streams are cut after it. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * nginx answers a local connection within milliseconds even when busy; only a hung one nears
   * this. Short enough that a hang is noticed within 5 s.
   */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Requires every setting but the stream module and the ACME challenge, checks the binary, the
   * listen address and the check timeout, and makes the directories absolute.
   */
  public NginxConfig {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(configDirectory, "configDirectory");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(reloadTimeout, "reloadTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(checkTimeout, "checkTimeout");
    if (checkTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("checkTimeout must be at least 1 ms, was " + checkTimeout);
    }
    Rules.require("binary", Rules.program(binary));
    Rules.require("listenAddress", listenAddress(listenAddress));
    configDirectory = configDirectory.toAbsolutePath().normalize();
    prefix = prefix.toAbsolutePath().normalize();
    if (streamModule != null) {
      streamModule = streamModule.toAbsolutePath().normalize();
    }
  }

  /**
   * The rule of {@code listenAddress}: an IP address literal, as nginx's {@code listen} takes it (a
   * name would need a lookup).
   */
  public static String listenAddress(String value) {
    return Rules.ipLiteral(value) == null
        ? null
        : "must be an IPv4 or IPv6 address (such as 0.0.0.0, 192.0.2.10 or ::), was "
            + Rules.quote(value);
  }

  /** The defaults, with the two directories Berth owns. */
  public static Builder builder(Path configDirectory, Path prefix) {
    return new Builder(configDirectory, prefix);
  }

  /** A builder holding this configuration's settings. */
  public Builder toBuilder() {
    return new Builder(configDirectory, prefix)
        .binary(binary)
        .listenAddress(listenAddress)
        .streamModule(streamModule)
        .startIfNotRunning(startIfNotRunning)
        .acmeChallenge(acmeChallenge)
        .commandTimeout(commandTimeout)
        .reloadTimeout(reloadTimeout)
        .stopTimeout(stopTimeout)
        .checkTimeout(checkTimeout);
  }

  /** The configuration nginx runs with. */
  public Path configFile() {
    return configDirectory.resolve("nginx.conf");
  }

  /**
   * The rendered configuration while {@code nginx -t} checks it, before it replaces the live one.
   */
  public Path candidateFile() {
    return configDirectory.resolve("nginx.conf.next");
  }

  /** nginx's pid file, under the prefix. */
  public Path pidFile() {
    return prefix.resolve("nginx.pid");
  }

  /** nginx's log directory, under the prefix. */
  public Path logDirectory() {
    return prefix.resolve("logs");
  }

  /** nginx's error log, in its log directory. */
  public Path errorLog() {
    return logDirectory().resolve("error.log");
  }

  /** nginx's directory of temporary files, under the prefix. */
  public Path tempDirectory() {
    return prefix.resolve("temp");
  }

  /**
   * The directory of the unix sockets that join a shared listener port's stream and http halves,
   * under the prefix.
   */
  public Path socketDirectory() {
    return prefix.resolve("sockets");
  }

  /**
   * Where the health check connects to a listener: the listen address, or loopback when that is the
   * wildcard address.
   */
  public InetAddress checkAddress() {
    try {
      InetAddress address = InetAddress.getByName(listenAddress);
      if (!address.isAnyLocalAddress()) {
        return address;
      }
      return InetAddress.getByName(address instanceof Inet6Address ? "::1" : "127.0.0.1");
    } catch (UnknownHostException e) {
      // Cannot happen: the constructor admits only address literals, which need no lookup.
      throw new IllegalStateException("listenAddress " + listenAddress + " is not an address", e);
    }
  }

  /**
   * The ACME http-01 challenge server: files in {@code directory}, named by token, are served at
   * {@code /.well-known/acme-challenge/<token>} as text/plain on plain http; everything else is
   * 404.
   *
   * @param port the port it listens on, at the configured listen address: {@link #DEFAULT_PORT} for
   *     real ACME
   * @param directory where the certificate issuer writes the key authorizations
   */
  public record AcmeChallenge(int port, Path directory) {

    /**
     * Port 80: http-01 validators connect there and nowhere else (RFC 8555 8.3). A test CA such as
     * pebble can be told another port.
     */
    public static final int DEFAULT_PORT = 80;

    /** Requires a directory, made absolute, and a valid port. */
    public AcmeChallenge {
      Rules.require("port", Rules.port(port));
      directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }
  }

  /** Builds an {@link NginxConfig}; every setting starts at its documented default. */
  public static final class Builder {
    private final Path configDirectory;
    private final Path prefix;
    private String binary = DEFAULT_BINARY;
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private Path streamModule = DEFAULT_STREAM_MODULE;
    private boolean startIfNotRunning = DEFAULT_START_IF_NOT_RUNNING;
    private AcmeChallenge acmeChallenge;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration reloadTimeout = DEFAULT_RELOAD_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;

    private Builder(Path configDirectory, Path prefix) {
      this.configDirectory = configDirectory;
      this.prefix = prefix;
    }

    /** The nginx executable. Default {@link #DEFAULT_BINARY}. */
    public Builder binary(String value) {
      this.binary = value;
      return this;
    }

    /** The address every listener port binds to. Default {@link #DEFAULT_LISTEN_ADDRESS}. */
    public Builder listenAddress(String value) {
      this.listenAddress = value;
      return this;
    }

    /** Null: nginx has the stream module built in, or L4 routes are not used. */
    public Builder streamModule(Path value) {
      this.streamModule = value;
      return this;
    }

    /**
     * Whether nginx is started when it is not running. Default {@link
     * #DEFAULT_START_IF_NOT_RUNNING}.
     */
    public Builder startIfNotRunning(boolean value) {
      this.startIfNotRunning = value;
      return this;
    }

    /** Null: no challenge server. */
    public Builder acmeChallenge(AcmeChallenge value) {
      this.acmeChallenge = value;
      return this;
    }

    /** How long one nginx command may take. Default {@link #DEFAULT_COMMAND_TIMEOUT}. */
    public Builder commandTimeout(Duration value) {
      this.commandTimeout = value;
      return this;
    }

    /**
     * How long a reload or start may take to become effective. Default {@link
     * #DEFAULT_RELOAD_TIMEOUT}.
     */
    public Builder reloadTimeout(Duration value) {
      this.reloadTimeout = value;
      return this;
    }

    /**
     * How long a graceful quit may take before nginx is killed. Default {@link
     * #DEFAULT_STOP_TIMEOUT}.
     */
    public Builder stopTimeout(Duration value) {
      this.stopTimeout = value;
      return this;
    }

    /** How long a check that nginx answers may take. Default {@link #DEFAULT_CHECK_TIMEOUT}. */
    public Builder checkTimeout(Duration value) {
      this.checkTimeout = value;
      return this;
    }

    /** The configuration, checked. */
    public NginxConfig build() {
      return new NginxConfig(
          binary,
          configDirectory,
          prefix,
          listenAddress,
          streamModule,
          startIfNotRunning,
          acmeChallenge,
          commandTimeout,
          reloadTimeout,
          stopTimeout,
          checkTimeout);
    }
  }
}
