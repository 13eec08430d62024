package dev.berth.runner.cli;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link FakeAgent} on a real unix socket, or on 127.0.0.1 over TCP (plain or TLS), and
 * remembers the authorization header of the last call.
 */
final class FakeAgentServer implements AutoCloseable {

  private final Server server;
  private final EventLoopGroup eventLoops;
  volatile String lastAuthorization;

  private FakeAgentServer(NettyServerBuilder builder, EventLoopGroup eventLoops, FakeAgent agent)
      throws IOException {
    this.eventLoops = eventLoops;
    this.server =
        builder
            .addService(ServerInterceptors.intercept(agent, new HeaderCapture()))
            .build()
            .start();
  }

  static FakeAgentServer onSocket(Path socket, FakeAgent agent) throws IOException {
    EventLoopGroup group = new EpollEventLoopGroup(1);
    return new FakeAgentServer(
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group),
        group,
        agent);
  }

  /** On 127.0.0.1 and a free port; TLS with {@code tls}, plain when null. */
  static FakeAgentServer onTcp(SslContext tls, FakeAgent agent) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    if (tls != null) {
      builder.sslContext(tls);
    }
    return new FakeAgentServer(builder, null, agent);
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (eventLoops != null) {
      eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
  }

  private final class HeaderCapture implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      lastAuthorization = headers.get(BearerToken.AUTHORIZATION);
      return next.startCall(call, headers);
    }
  }
}
