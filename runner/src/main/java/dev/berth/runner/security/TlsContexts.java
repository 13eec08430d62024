package dev.berth.runner.security;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server side of mutual TLS, from PEM files. */
final class TlsContexts {

  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); every current client speaks 1.2 or 1.3. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

  private TlsContexts() {}

  /**
   * A server context presenting the agent's certificate and asking for (not requiring) a client
   * certificate that chains to the client CA. Not requiring one lets a client without a certificate
   * finish the handshake and be told {@code UNAUTHENTICATED} by {@link
   * ClientCertificateInterceptor}; a certificate that does not chain to the CA still fails the
   * handshake.
   *
   * @throws IOException naming the file that is missing or cannot be loaded
   */
  static SslContext server(TlsSettings tls) throws IOException {
    requireFile("certificate chain file", tls.certificateChainFile());
    requireFile("private key file", tls.privateKeyFile());
    requireFile("client CA file", tls.clientCaFile());
    warnIfWorldReadable(tls.privateKeyFile());
    SslContextBuilder builder;
    try {
      builder =
          GrpcSslContexts.forServer(
              tls.certificateChainFile().toFile(), tls.privateKeyFile().toFile());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "mutual TLS: cannot load the certificate chain "
              + tls.certificateChainFile()
              + " with the private key "
              + tls.privateKeyFile()
              + " (PEM, key in PKCS#8): "
              + e.getMessage(),
          e);
    }
    try {
      builder.trustManager(tls.clientCaFile().toFile());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "mutual TLS: cannot load the client CA file "
              + tls.clientCaFile()
              + " (PEM certificates): "
              + e.getMessage(),
          e);
    }
    try {
      return builder.clientAuth(ClientAuth.OPTIONAL).protocols(PROTOCOLS).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "mutual TLS: cannot build a server context from "
              + tls.certificateChainFile()
              + ", "
              + tls.privateKeyFile()
              + " and "
              + tls.clientCaFile()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void requireFile(String what, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException("mutual TLS: " + what + " " + file + " does not exist");
    }
    if (!Files.isReadable(file)) {
      throw new IOException("mutual TLS: " + what + " " + file + " is not readable");
    }
  }

  private static void warnIfWorldReadable(Path key) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(key, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
      LOG.atWarn()
          .setMessage("the agent's private key is readable by every user; run chmod 600 on it")
          .addKeyValue("path", key)
          .addKeyValue("mode", PosixFilePermissions.toString(permissions))
          .log();
    }
  }
}
