package dev.berth.runner.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * Mutual TLS for the API's TCP listener ({@code [api.tls]}). The files were readable PEM when the
 * configuration was loaded.
 *
 * @param certFile the agent's certificate chain (PEM)
 * @param keyFile its private key (PEM, PKCS#8)
 * @param clientCaFile the CA certificates (PEM) client certificates must chain to
 * @param allowedSubjects the client certificate subjects allowed to call; never empty. A CA may
 *     sign certificates for more people than should drive this node, so chaining alone is not
 *     enough.
 */
public record TlsConfig(
    Path certFile, Path keyFile, Path clientCaFile, List<X500Principal> allowedSubjects) {

  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(clientCaFile, "clientCaFile");
    allowedSubjects = List.copyOf(allowedSubjects);
  }

  /**
   * Whether a client with this certificate subject may call. Subjects compare in X.500's canonical
   * form: {@code CN=ops, O=Example} and {@code cn=ops,o=example} are the same subject.
   */
  public boolean allows(X500Principal subject) {
    return allowedSubjects.contains(subject);
  }
}
