package dev.berth.runner.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * Sockets to one unix socket, whatever host and port the transport asks for: gRPC's OkHttp
 * transport only knows TCP addresses, so the channel is given a placeholder one and every socket it
 * opens goes to {@code path}.
 */
final class UnixDomainSocketFactory extends SocketFactory {

  private final Path path;

  UnixDomainSocketFactory(Path path) {
    this.path = path;
  }

  /** An unconnected socket cannot be given: the unix socket is connected to when it is made. */
  @Override
  public Socket createSocket() throws IOException {
    throw new IOException("a socket to " + path + " is connected when it is created");
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return UnixDomainSocket.connect(path);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return UnixDomainSocket.connect(path);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return UnixDomainSocket.connect(path);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return UnixDomainSocket.connect(path);
  }
}
