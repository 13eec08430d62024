package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket the CLI's OkHttp transport speaks through to the agent's unix socket. */
@Timeout(10)
class UnixDomainSocketTest {

  @TempDir Path dir;
  private Path path;
  private ServerSocketChannel server;

  @BeforeEach
  void listen() throws IOException {
    path = dir.resolve("agent.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
  }

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  @Test
  void whateverHostAndPortAreAskedForTheSocketReachesThePath() throws Exception {
    try (Socket socket = new UnixDomainSocketFactory(path).createSocket("192.0.2.1", 443);
        SocketChannel accepted = server.accept()) {
      socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));

      assertThat(read(accepted, 4)).isEqualTo("ping");
      assertThat(socket.getRemoteSocketAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
    }
  }

  @Test
  void aWriteIsNotHeldUpByAReadWaitingOnTheOtherThread() throws Exception {
    try (Socket socket = UnixDomainSocket.connect(path);
        SocketChannel accepted = server.accept()) {
      InputStream input = socket.getInputStream();
      CompletableFuture<Integer> reading = CompletableFuture.supplyAsync(() -> readOne(input));
      Thread.sleep(100); // the read is blocked: the agent has sent nothing yet

      socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));

      assertThat(read(accepted, 5)).isEqualTo("hello");
      assertThat(reading).isNotDone();
      accepted.write(ByteBuffer.wrap(new byte[] {42}));
      assertThat(reading.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }

  @Test
  void theEndOfTheStreamReadsAsMinusOne() throws Exception {
    try (Socket socket = UnixDomainSocket.connect(path)) {
      server.accept().close();

      assertThat(socket.getInputStream().read(new byte[8], 0, 8)).isEqualTo(-1);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void closingTheSocketClosesTheConnection() throws Exception {
    Socket socket = UnixDomainSocket.connect(path);
    try (SocketChannel accepted = server.accept()) {
      socket.close();

      assertThat(socket.isClosed()).isTrue();
      assertThat(accepted.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void aPathNobodyListensOnIsRefused() throws Exception {
    server.close();

    assertThatThrownBy(() -> UnixDomainSocket.connect(path))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("Connection refused");
  }

  private static String read(SocketChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
  }

  private static int readOne(InputStream input) {
    try {
      return input.read();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
