package dev.berth.reconcilers.route.nginx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS client to 127.0.0.1 that asks for a name by SNI, as a browser would (or for none).
 *
 * <p>Every connection gets a fresh {@link SSLContext}: a shared one would cache the session per
 * address and port and resume it for the next connection, whatever name that one asks for, so a
 * test would see the previous connection's certificate and never the new name's.
 */
public final class TlsClient {

  private static final int TIMEOUT_MILLIS = 10_000;

  private final Supplier<SSLContext> contexts;

  public TlsClient(Supplier<SSLContext> contexts) {
    this.contexts = contexts;
  }

  /** What one exchange saw: the certificate presented, the TLS version, and what came back. */
  public record Reply(X509Certificate certificate, String protocol, String text) {}

  /** Completes a handshake for {@code sni}, sends an HTTP GET for {@code host} and reads it all. */
  public Reply get(int port, String sni, String path) throws IOException {
    try (SSLSocket socket = connect(port, sni)) {
      String request =
          "GET " + path + " HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Reply(peer(socket), socket.getSession().getProtocol(), response);
    }
  }

  /** Completes a handshake for {@code sni}, sends {@code line} and reads one line back. */
  Reply exchangeLine(int port, String sni, String line) throws IOException {
    try (SSLSocket socket = connect(port, sni)) {
      socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      return new Reply(peer(socket), socket.getSession().getProtocol(), in.readLine());
    }
  }

  /** Only the handshake: throws if the server refuses it. */
  public X509Certificate handshake(int port, String sni) throws IOException {
    try (SSLSocket socket = connect(port, sni)) {
      return peer(socket);
    }
  }

  private SSLSocket connect(int port, String sni) throws IOException {
    SSLSocket socket = (SSLSocket) contexts.get().getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      // A null name sends no SNI at all, as an old client or a bare IP address would.
      parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static X509Certificate peer(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }
}
