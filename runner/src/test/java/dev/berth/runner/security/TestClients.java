package dev.berth.runner.security;

import dev.berth.reconcilers.testing.TestPki;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Real gRPC clients for the listeners under test; closes all it opened. */
public final class TestClients implements AutoCloseable {

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<EventLoopGroup> groups = new ArrayList<>();

  /** A channel to a unix socket, as the CLI opens one. */
  public ManagedChannel unixSocket(Path socket) {
    EventLoopGroup group = new EpollEventLoopGroup(1);
    groups.add(group);
    return track(
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(group)
            .usePlaintext()
            .build());
  }

  /**
   * A TLS channel trusting {@code ca}, presenting {@code client} when not null.
   *
   * @param protocols the TLS versions the client offers, or none for the defaults
   */
  public ManagedChannel tls(
      InetSocketAddress address, Path ca, TestPki.PemFiles client, String... protocols)
      throws IOException {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(ca.toFile());
    if (client != null) {
      ssl.keyManager(client.certificateChain().toFile(), client.privateKey().toFile());
    }
    if (protocols.length > 0) {
      ssl.protocols(protocols);
    }
    return track(NettyChannelBuilder.forAddress(address).sslContext(ssl.build()).build());
  }

  /**
   * A TLS channel trusting {@code ca} that presents {@code client} whatever CAs the server asks
   * for. A regular client only presents a certificate from a CA the server names, and sends none
   * otherwise; this one shows what the server does with a certificate it does not trust.
   */
  ManagedChannel tlsPresentingAnyway(InetSocketAddress address, Path ca, TestPki.Issued client)
      throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test".toCharArray();
    keys.setKeyEntry(
        "client",
        client.key().getPrivate(),
        password,
        new Certificate[] {client.certificate(), client.issuer()});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, password);
    X509ExtendedKeyManager keyManager =
        new PresentingKeyManager((X509ExtendedKeyManager) factory.getKeyManagers()[0]);
    SslContextBuilder ssl =
        GrpcSslContexts.forClient().trustManager(ca.toFile()).keyManager(keyManager);
    return track(NettyChannelBuilder.forAddress(address).sslContext(ssl.build()).build());
  }

  /** A key manager that always picks its one client certificate. */
  private static final class PresentingKeyManager extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate;

    PresentingKeyManager(X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "client";
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }

  /** A plaintext TCP channel. */
  ManagedChannel plaintext(InetSocketAddress address) {
    return track(NettyChannelBuilder.forAddress(address).usePlaintext().build());
  }

  /** The overall health of the server behind {@code channel}. */
  public static ServingStatus check(Channel channel) {
    return check(channel, null);
  }

  /** The overall health, asked with {@code credentials} (or none when null). */
  static ServingStatus check(Channel channel, CallCredentials credentials) {
    HealthGrpc.HealthBlockingStub stub =
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (credentials != null) {
      stub = stub.withCallCredentials(credentials);
    }
    return stub.check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  /** The error of a health check expected to fail. */
  public static StatusRuntimeException checkFails(Channel channel, CallCredentials credentials) {
    try {
      ServingStatus status = check(channel, credentials);
      throw new AssertionError("the health check was expected to fail, answered " + status);
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  private ManagedChannel track(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (EventLoopGroup group : groups) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
  }
}
