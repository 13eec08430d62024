package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One channel to the agent, over its unix socket or TCP, and the stubs the commands call it with.
 *
 * <p>Opening a connection does not contact the agent (gRPC connects on the first call), except that
 * a unix socket that does not exist is reported at once: it is by far the most common reason the
 * agent cannot be reached, and deserves a message that says what to do.
 */
public final class AgentConnection implements AutoCloseable {

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final int NETTY_FLOW_CONTROL_WINDOW = 1024 * 1024;

  private final ManagedChannel channel;
  private final EventLoopGroup eventLoops;
  private final String target;
  private final CallCredentials credentials;
  private final Duration callTimeout;

  private AgentConnection(
      ManagedChannel channel,
      EventLoopGroup eventLoops,
      String target,
      CallCredentials credentials,
      Duration callTimeout) {
    this.channel = channel;
    this.eventLoops = eventLoops;
    this.target = target;
    this.credentials = credentials;
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /**
   * A connection over the unix socket at {@code socket}.
   *
   * @param credentials sent with every call, or null
   * @throws CliException (exit 3) when there is no socket at that path
   */
  public static AgentConnection unixSocket(
      Path socket, CallCredentials credentials, Duration callTimeout) {
    String shown = socket.toString();
    if (!Files.exists(socket)) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot reach the Berth agent at "
              + shown
              + ": no such socket (is `berth agent` running?)");
    }
    if (Files.isRegularFile(socket) || Files.isDirectory(socket)) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot reach the Berth agent at " + shown + ": not a socket (check --socket)");
    }
    // gRPC's OkHttp transport over the JDK's own unix sockets (JDK 16 and later): it loads a few
    // hundred classes where Netty's loads over 800, the larger part of a short command's time. It
    // only knows TCP addresses, so it is given a placeholder one (an address literal: nothing to
    // look up) and a socket factory that connects every socket to the agent's socket instead.
    ManagedChannel channel =
        OkHttpChannelBuilder.forAddress("127.0.0.1", 1)
            .socketFactory(new UnixDomainSocketFactory(socket))
            // A path is no authority; the agent does not look at it.
            .overrideAuthority("localhost")
            // The placeholder address must not send the call to an HTTP proxy set for the JVM.
            .proxyDetector(target -> null)
            // Netty's window, not OkHttp's 64 KiB: backups and logs stream megabytes.
            .flowControlWindow(NETTY_FLOW_CONTROL_WINDOW)
            .usePlaintext()
            .build();
    return new AgentConnection(channel, null, shown, credentials, callTimeout);
  }

  /**
   * A connection over TCP: TLS with {@code tls} (mutual, when it holds a client certificate), or
   * plaintext when {@code tls} is null.
   */
  public static AgentConnection tcp(
      AgentAddress address, SslContext tls, CallCredentials credentials, Duration callTimeout) {
    // Netty, whose TLS the agent's certificates are read into (ClientOptions), over NIO: epoll
    // would first copy its native library out of the jar and load it. One event loop is plenty.
    EventLoopGroup eventLoops = new NioEventLoopGroup(1);
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(address.host(), address.port())
            .channelType(NioSocketChannel.class)
            .eventLoopGroup(eventLoops);
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(tls);
    }
    return new AgentConnection(
        builder.build(), eventLoops, address.toString(), credentials, callTimeout);
  }

  /**
   * Where the agent was looked for, as the user gave it: {@code ./berth.sock}, {@code host:7443}.
   */
  public String target() {
    return target;
  }

  /** The deadline of each unary call: {@code --timeout}, 30 s by default. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** A stub whose next call must finish within the call timeout. */
  public AgentServiceBlockingStub call() {
    return call(callTimeout);
  }

  /** A stub whose next call must finish within {@code deadline}. */
  public AgentServiceBlockingStub call(Duration deadline) {
    return stream().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A stub without a deadline, for streams that run until the user stops them. */
  public AgentServiceBlockingStub stream() {
    AgentServiceBlockingStub stub = AgentServiceGrpc.newBlockingStub(channel);
    return credentials == null ? stub : stub.withCallCredentials(credentials);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (eventLoops != null) {
      eventLoops
          .shutdownGracefully(0, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(CLOSE_GRACE.toMillis());
    }
  }
}
