package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLServerSocket;

/**
 * A backend that terminates TLS itself with its own certificate (what an L4 route passes through
 * to): for each connection it reads one line and answers {@code <name> got <line>}.
 */
final class TlsBackend implements AutoCloseable {

  private final SSLServerSocket server;
  private final Thread acceptor;

  private TlsBackend(SSLServerSocket server, String name) {
    this.server = server;
    this.acceptor = new Thread(() -> serve(name), "tls-backend-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static TlsBackend start(String name, TestPki.Issued leaf)
      throws IOException, GeneralSecurityException {
    SSLServerSocket server =
        (SSLServerSocket)
            leaf.serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new TlsBackend(server, name);
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve(String name) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(10_000);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        OutputStream out = socket.getOutputStream();
        out.write((name + " got " + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // A refused or aborted client; the next one is served.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
