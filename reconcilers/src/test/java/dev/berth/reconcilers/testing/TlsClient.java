package dev.berth.reconcilers.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one TLS client of the tests: connects to 127.0.0.1, asks for a name by SNI as a browser would
 * (or for none), and trusts the given CAs only.
 *
 * <p>Every connection gets a fresh {@link SSLContext}: a shared one would cache the session per
 * address and port and resume it for the next connection, whatever name that one asks for, so a
 * test would see the previous connection's certificate and never the new name's.
 */
public final class TlsClient {

  private static final int TIMEOUT_MILLIS = 10_000;

  private final TrustManager[] trust;

  private TlsClient(TrustManager[] trust) {
    this.trust = trust;
  }

  /** A client that trusts {@code roots} only. */
  public static TlsClient trusting(X509Certificate... roots) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < roots.length; i++) {
        store.setCertificateEntry("ca-" + i, roots[i]);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return new TlsClient(factory.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS client trusting the test CAs", e);
    }
  }

  /** What one exchange saw: the certificate presented, the TLS version, and what came back. */
  public record Reply(X509Certificate certificate, String protocol, String text) {}

  /**
   * An HTTPS GET of {@code /} for {@code hostname}, checking that the certificate is for that name
   * (not only from a trusted CA): the whole response, or {@code unreachable: <why>}.
   */
  public String fetch(int port, String hostname) {
    try (SSLSocket socket = connect(port, hostname, true)) {
      return request(socket, hostname, "/");
    } catch (IOException e) {
      return "unreachable: " + e;
    }
  }

  /** Completes a handshake for {@code sni}, sends an HTTP GET for {@code path} and reads it all. */
  public Reply get(int port, String sni, String path) throws IOException {
    try (SSLSocket socket = connect(port, sni, false)) {
      String response = request(socket, sni, path);
      return new Reply(peer(socket), socket.getSession().getProtocol(), response);
    }
  }

  /** Completes a handshake for {@code sni}, sends {@code line} and reads one line back. */
  public Reply exchangeLine(int port, String sni, String line) throws IOException {
    try (SSLSocket socket = connect(port, sni, false)) {
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
    try (SSLSocket socket = connect(port, sni, false)) {
      return peer(socket);
    }
  }

  private static String request(SSLSocket socket, String host, String path) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private SSLSocket connect(int port, String sni, boolean checkName) throws IOException {
    SSLSocket socket = (SSLSocket) newContext().getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      // A null name sends no SNI at all, as an old client or a bare IP address would.
      parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      if (checkName) {
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
      }
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private SSLContext newContext() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a TLS context", e);
    }
  }

  private static X509Certificate peer(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }
}
