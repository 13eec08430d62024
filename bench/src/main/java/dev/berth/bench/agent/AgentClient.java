package dev.berth.bench.agent;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Calls agents over their unix sockets, as the CLI does. One event loop thread serves every channel
 * of the run, so that measuring an agent does not start threads in the measuring JVM.
 */
final class AgentClient implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /**
   * gRPC asks every channel for SO_KEEPALIVE, which a unix socket does not have, and netty warns
   * about it once per channel: one line per 10 ms poll. Held here, as java.util.logging keeps its
   * loggers only weakly.
   */
  private static final Logger NETTY_BOOTSTRAP =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

  private final EventLoopGroup eventLoops;

  AgentClient() {
    NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "unix sockets need Linux epoll: " + Epoll.unavailabilityCause().getMessage());
    }
    eventLoops = new EpollEventLoopGroup(1);
  }

  /** A channel to the agent at {@code socket}; gRPC connects on its first call. */
  Connection connect(Path socket) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(eventLoops)
            .overrideAuthority("localhost")
            .usePlaintext()
            .build();
    return new Connection(channel);
  }

  /**
   * NodeStatus on a new channel, or empty when the agent does not serve yet (no socket, or nothing
   * accepting on it). A new channel for each try: a channel that failed to connect waits out a
   * reconnect backoff of a second or more, which would be measured as start time.
   */
  Optional<AgentProto.NodeStatusResponse> tryNodeStatus(Path socket) {
    try (Connection connection = connect(socket)) {
      return Optional.of(connection.nodeStatus());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5000);
  }

  /** One channel to one agent. */
  static final class Connection implements AutoCloseable {
    private final ManagedChannel channel;

    private Connection(ManagedChannel channel) {
      this.channel = channel;
    }

    /** A stub whose next call must finish within 30 s. */
    AgentServiceBlockingStub call() {
      return AgentServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    AgentProto.NodeStatusResponse nodeStatus() {
      return call().nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance());
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
