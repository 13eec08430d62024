package dev.berth.runner.config;

import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real files for the keys that name files: a certificate and PKCS#8 key signed by a throwaway CA,
 * that CA, a token, an EAB HMAC key and a containers.conf, all in one directory.
 */
final class TestFiles {

  static final String CERT = "tls/agent.pem";
  static final String KEY = "tls/agent-key.pem";
  static final String CLIENT_CA = "tls/clients-ca.pem";
  static final String TOKEN = "secrets/token";
  static final String EAB_KEY = "secrets/eab.key";
  static final String CONTAINERS_CONF = "containers.conf";

  /** What {@link #EAB_KEY} holds, without its line break. */
  static final String EAB_HMAC_KEY = "c2VjcmV0LWhtYWMta2V5LWZvci10ZXN0cw";

  private TestFiles() {}

  /** Writes every file under {@code dir}, at the relative paths above. */
  static void writeAll(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("tls"));
    Files.createDirectories(dir.resolve("secrets"));
    LocalCaIssuer ca = new LocalCaIssuer(dir.resolve("ca"));
    IssuedCertificate agent = ca.issue(CertificateRequest.of("agent.berth.internal"));
    Files.writeString(dir.resolve(CERT), Pem.encodeCertificates(agent.chain()));
    Files.writeString(dir.resolve(KEY), Pem.encodePrivateKey(agent.privateKey()));
    Files.writeString(dir.resolve(CLIENT_CA), Pem.encodeCertificates(List.of(ca.caCertificate())));
    Files.writeString(dir.resolve(TOKEN), "s3cret-token\n");
    Files.writeString(dir.resolve(EAB_KEY), EAB_HMAC_KEY + "\n");
    Files.writeString(dir.resolve(CONTAINERS_CONF), "[engine]\n");
  }
}
