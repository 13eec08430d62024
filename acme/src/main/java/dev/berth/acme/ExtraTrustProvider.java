package dev.berth.acme;

import dev.berth.reconcilers.cert.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider (any {@code https} directory), with an HTTP client that trusts extra CA
 * certificates beside the JVM's own: the way to reach an ACME server whose TLS certificate comes
 * from a private CA. acme4j's pebble provider only trusts pebble's bundled test CA, and changing
 * the JVM-wide trust store would affect the whole embedding application.
 */
final class ExtraTrustProvider extends GenericAcmeProvider {

  private final SSLContext sslContext;

  private ExtraTrustProvider(SSLContext sslContext) {
    this.sslContext = sslContext;
  }

  /**
   * Trusts the certificates of the PEM file and the JVM's.
   *
   * @throws IOException if the file cannot be read or holds no certificate
   */
  static ExtraTrustProvider trusting(Path pemFile) throws IOException {
    List<X509Certificate> extra;
    try {
      extra = Pem.decodeCertificates(Files.readString(pemFile, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IOException("extra trust file " + pemFile + ": " + e.getMessage(), e);
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      List<X509Certificate> all = new ArrayList<>(List.of(jvmTrustManager().getAcceptedIssuers()));
      all.addAll(extra);
      for (int i = 0; i < all.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, all.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return new ExtraTrustProvider(context);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot build a trust store with " + pemFile + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager jvmTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JVM has no X.509 trust manager");
  }

  @Override
  public boolean accepts(URI serverUri) {
    return "https".equals(serverUri.getScheme());
  }

  /** As acme4j's default client, plus the SSL context. */
  @Override
  public HttpClient createHttpClient(NetworkSettings networkSettings) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(networkSettings.getTimeout())
            .proxy(networkSettings.getProxySelector())
            .sslContext(sslContext);
    if (networkSettings.getAuthenticator() != null) {
      builder.authenticator(networkSettings.getAuthenticator());
    }
    return builder.build();
  }
}
