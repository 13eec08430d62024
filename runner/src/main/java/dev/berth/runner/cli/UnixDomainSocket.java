package dev.berth.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a connected unix-domain {@link SocketChannel}, for transports that only
 * take a {@link javax.net.SocketFactory} (gRPC's OkHttp transport).
 *
 * <p>The JDK's unix-domain channels have no socket adaptor ({@link SocketChannel#socket()} throws),
 * so this class is one: streams, addresses, shutdown and close, which is all an HTTP/2 connection
 * uses. Its streams read and write the channel directly rather than through {@code
 * Channels.newInputStream}: those streams take the channel's blocking lock, so a read waiting for
 * the agent would stop every write, and HTTP/2 reads and writes at the same time.
 */
final class UnixDomainSocket extends Socket {

  private final SocketChannel channel;
  private final InputStream input;
  private final OutputStream output;

  private UnixDomainSocket(SocketChannel channel) throws IOException {
    // No SocketImpl: every method a caller may use is overridden; any other fails loudly.
    super((SocketImpl) null);
    this.channel = channel;
    this.input = new ChannelInput(channel);
    this.output = new ChannelOutput(channel);
  }

  /** A socket connected to the unix socket at {@code path}. */
  static UnixDomainSocket connect(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
    try {
      return new UnixDomainSocket(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public InputStream getInputStream() {
    return input;
  }

  @Override
  public OutputStream getOutputStream() {
    return output;
  }

  /** Nagle's algorithm is a TCP matter: there is nothing to set on a unix socket. */
  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public boolean getTcpNoDelay() {
    return true;
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    try {
      return channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public boolean isConnected() {
    return channel.isConnected();
  }

  @Override
  public boolean isBound() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return !channel.isOpen();
  }

  @Override
  public void shutdownInput() throws IOException {
    channel.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "UnixDomainSocket[" + getRemoteSocketAddress() + "]";
  }

  /** Reads the channel in blocking mode; -1 at the end of the stream, as the contract says. */
  private static final class ChannelInput extends InputStream {
    private final SocketChannel channel;

    ChannelInput(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int read = read(one, 0, 1);
      return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** Writes every byte before it returns, as {@link OutputStream} promises. */
  private static final class ChannelOutput extends OutputStream {
    private final SocketChannel channel;

    ChannelOutput(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int value) throws IOException {
      write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
