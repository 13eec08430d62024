package dev.berth.runner.security;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's gRPC servers: one per listener of a {@link ListenSettings}, all serving the same
 * services.
 *
 * <p>Who may call depends on the listener:
 *
 * <ul>
 *   <li>unix socket: whoever may open the socket file (mode 0600: the agent's user and root);
 *   <li>TCP with mutual TLS: a client certificate from the client CA with an allowed subject
 *       ({@link ClientCertificateInterceptor});
 *   <li>plain TCP (only when explicitly allowed): anyone who reaches the port;
 * </ul>
 *
 * and on every listener, when a token file is set, the bearer token ({@link
 * BearerTokenInterceptor}).
 *
 * <pre>{@code
 * try (ApiServers servers =
 *     ApiServers.builder(settings).addService(agentService).addService(health).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class ApiServers implements AutoCloseable {

  /** Long enough for unary calls in flight to finish; streams still open are cut after it. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** A unix socket has few clients (the CLI); two I/O threads are plenty. */
  private static final int UNIX_SOCKET_IO_THREADS = 2;

  /** After a forced shutdown, how long to wait for the transports to let go. */
  private static final Duration FORCED_SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ApiServers.class);

  private final List<Listener> listeners;
  private final Path socket;
  private final InetSocketAddress tcpAddress;

  /** Guarded by {@code this}. */
  private boolean shutDown;

  private ApiServers(List<Listener> listeners, Path socket, InetSocketAddress tcpAddress) {
    this.listeners = List.copyOf(listeners);
    this.socket = socket;
    this.tcpAddress = tcpAddress;
  }

  /** A builder of servers for {@code settings}. */
  public static Builder builder(ListenSettings settings) {
    return new Builder(settings);
  }

  /** The unix socket's absolute path, when there is one. */
  public Optional<Path> socket() {
    return Optional.ofNullable(socket);
  }

  /**
   * The TCP address listened on (with the port chosen when port 0 was asked), when there is one.
   */
  public Optional<InetSocketAddress> tcpAddress() {
    return Optional.ofNullable(tcpAddress);
  }

  /** Waits until every server has terminated (after {@link #shutdown}). */
  public void awaitTermination() throws InterruptedException {
    for (Listener listener : listeners) {
      listener.server().awaitTermination();
    }
  }

  /**
   * Stops accepting calls, lets the calls in flight finish within {@code grace}, then cuts what is
   * left, and removes the socket file. Idempotent.
   */
  public void shutdown(Duration grace) {
    synchronized (this) {
      if (shutDown) {
        return;
      }
      shutDown = true;
    }
    stop(listeners, grace);
  }

  /** {@link #shutdown} with {@link #DEFAULT_SHUTDOWN_GRACE}. */
  @Override
  public void close() {
    shutdown(DEFAULT_SHUTDOWN_GRACE);
  }

  private static void stop(List<Listener> listeners, Duration grace) {
    for (Listener listener : listeners) {
      listener.server().shutdown();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Listener listener : listeners) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!listener.server().awaitTermination(left, TimeUnit.NANOSECONDS)) {
          LOG.atWarn()
              .setMessage("calls still running after the grace period are cut")
              .addKeyValue("listener", listener.description())
              .addKeyValue("grace", grace)
              .log();
          listener.server().shutdownNow();
          listener.server().awaitTermination(FORCED_SHUTDOWN_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        listener.server().shutdownNow();
      } finally {
        listener.afterTermination().run();
      }
      LOG.atInfo()
          .setMessage("stopped listening")
          .addKeyValue("listener", listener.description())
          .log();
    }
  }

  /** Collects services and interceptors, then starts every listener at once. */
  public static final class Builder {

    private final ListenSettings settings;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder(ListenSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Serves {@code service} on every listener. */
    public Builder addService(BindableService service) {
      return addService(service.bindService());
    }

    /** Serves {@code service} (possibly with its own interceptors) on every listener. */
    public Builder addService(ServerServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Runs {@code interceptor} for every call of every service, after the authentication checks
     * (only admitted calls reach it). Interceptors added here run in the order they are added.
     */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Starts every listener. When one fails, those already started are stopped again.
     *
     * @throws BindException when another agent listens on the socket, or the TCP address is taken
     * @throws IOException when a listener cannot start: epoll unavailable for the unix socket, a
     *     TLS or token file missing or unacceptable, and so on; the message names the listener and
     *     the file
     */
    public ApiServers start() throws IOException {
      BearerTokenInterceptor token =
          settings.tokenFile() == null
              ? null
              : BearerTokenInterceptor.fromFile(settings.tokenFile());
      List<Listener> started = new ArrayList<>();
      Path socket = null;
      InetSocketAddress tcpAddress = null;
      try {
        if (settings.socket() != null) {
          UnixListener unix = startUnixSocket(settings.socket(), token);
          started.add(unix.listener());
          socket = unix.path();
        }
        if (settings.tcp() != null) {
          TcpListener tcp = startTcp(settings.tcp(), token);
          started.add(tcp.listener());
          tcpAddress = tcp.address();
        }
      } catch (IOException | RuntimeException e) {
        stop(started, Duration.ZERO);
        throw e;
      }
      return new ApiServers(started, socket, tcpAddress);
    }

    private UnixListener startUnixSocket(Path path, BearerTokenInterceptor token)
        throws IOException {
      if (!Epoll.isAvailable()) {
        throw new IOException(
            "unix socket "
                + path
                + ": serving a unix socket needs netty's native epoll transport (Linux on x86_64"
                + " or aarch64), which is unavailable here: "
                + Epoll.unavailabilityCause());
      }
      UnixSocketFile file = UnixSocketFile.prepare(path);
      EventLoopGroup group =
          new EpollEventLoopGroup(
              UNIX_SOCKET_IO_THREADS, new DefaultThreadFactory("berth-api-unix", true));
      Server server = null;
      try {
        NettyServerBuilder builder =
            NettyServerBuilder.forAddress(new DomainSocketAddress(file.bindPath().toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group);
        // The socket file's mode is the authentication here; the token is a second factor.
        configure(builder, token == null ? List.of() : List.of(token));
        server = builder.build().start();
        file.install();
      } catch (IOException | RuntimeException e) {
        if (server != null) {
          server.shutdownNow();
        }
        shutdownGroup(group);
        file.remove();
        throw e;
      }
      LOG.atInfo()
          .setMessage("listening on a unix socket")
          .addKeyValue("path", file.target())
          .addKeyValue("mode", "0600")
          .addKeyValue("token", token != null)
          .log();
      Server started = server;
      Listener listener =
          new Listener(
              "unix socket " + file.target(),
              started,
              () -> {
                shutdownGroup(group);
                file.remove();
              });
      return new UnixListener(listener, file.target());
    }

    private TcpListener startTcp(TcpSettings tcp, BearerTokenInterceptor token) throws IOException {
      NettyServerBuilder builder = NettyServerBuilder.forAddress(tcp.address());
      // Authentication checks in the order they run: who the caller is, then what it knows.
      List<ServerInterceptor> checks = new ArrayList<>();
      if (!tcp.plaintext()) {
        builder.sslContext(TlsContexts.server(tcp.tls()));
        checks.add(new ClientCertificateInterceptor(tcp.tls().allowedPrincipals()));
      }
      if (token != null) {
        checks.add(token);
      }
      configure(builder, checks);
      Server server;
      try {
        server = builder.build().start();
      } catch (IOException e) {
        BindException bind =
            new BindException(
                "TCP listener on "
                    + describe(tcp.address())
                    + ": cannot listen: "
                    + rootMessage(e));
        bind.initCause(e);
        throw bind;
      }
      InetSocketAddress bound = boundAddress(server, tcp.address());
      if (tcp.plaintext()) {
        LOG.atWarn()
            .setMessage(
                token == null
                    ? "listening on plain TCP (--insecure-listen): calls are unauthenticated and"
                        + " unencrypted, anyone who reaches the port controls the node"
                    : "listening on plain TCP (--insecure-listen): calls are unencrypted, and the"
                        + " bearer token, their only authentication, travels in clear")
            .addKeyValue("address", describe(bound))
            .log();
      } else {
        LOG.atInfo()
            .setMessage("listening on TCP with mutual TLS")
            .addKeyValue("address", describe(bound))
            .addKeyValue("allowedSubjects", tcp.tls().allowedSubjects())
            .addKeyValue("token", token != null)
            .log();
      }
      Listener listener =
          new Listener(
              (tcp.plaintext() ? "plain TCP " : "TCP with mutual TLS ") + describe(bound),
              server,
              () -> {});
      return new TcpListener(listener, bound);
    }

    private void configure(NettyServerBuilder builder, List<ServerInterceptor> checks) {
      services.forEach(builder::addService);
      // gRPC runs the interceptors of a server in the reverse order of their registration: the
      // caller's are registered first, in reverse, and the authentication checks last, in reverse,
      // so that the checks run first and in their order. Interceptors registered on the server (not
      // on one service) run for every service, the standard health and reflection services
      // included: they answer the same callers as the API. Simplest, and safest: an open health
      // or reflection endpoint would tell anyone what runs on the node.
      for (int i = interceptors.size() - 1; i >= 0; i--) {
        builder.intercept(interceptors.get(i));
      }
      for (int i = checks.size() - 1; i >= 0; i--) {
        builder.intercept(checks.get(i));
      }
    }
  }

  private static InetSocketAddress boundAddress(Server server, InetSocketAddress requested) {
    for (SocketAddress address : server.getListenSockets()) {
      if (address instanceof InetSocketAddress inet) {
        return inet;
      }
    }
    return requested;
  }

  /** {@code host:port}, with an IPv6 host in brackets; no host name lookup. */
  static String describe(InetSocketAddress address) {
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // gRPC wraps the socket's error; the operator needs the socket's words ("Address already in
    // use").
    return String.valueOf(root.getMessage());
  }

  private static void shutdownGroup(EventLoopGroup group) {
    group
        .shutdownGracefully(0, FORCED_SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(FORCED_SHUTDOWN_WAIT.toMillis() * 2);
  }

  private record Listener(String description, Server server, Runnable afterTermination) {}

  private record UnixListener(Listener listener, Path path) {}

  private record TcpListener(Listener listener, InetSocketAddress address) {}
}
