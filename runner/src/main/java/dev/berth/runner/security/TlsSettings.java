package dev.berth.runner.security;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Mutual TLS for a TCP listener: what the agent presents, and whom it accepts.
 *
 * @param certificateChainFile the agent's certificate followed by its intermediates (PEM)
 * @param privateKeyFile the agent's private key (PEM, PKCS#8)
 * @param clientCaFile the CA certificates (PEM) that client certificates must chain to
 * @param allowedSubjects client certificate subjects that may call, as distinguished names in RFC
 *     2253 form (e.g. {@code CN=ops,O=example}); compared canonically, so case and spacing do not
 *     matter; never empty
 */
public record TlsSettings(
    Path certificateChainFile,
    Path privateKeyFile,
    Path clientCaFile,
    List<String> allowedSubjects) {

  public TlsSettings {
    Objects.requireNonNull(certificateChainFile, "certificateChainFile");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    Objects.requireNonNull(clientCaFile, "clientCaFile");
    allowedSubjects = List.copyOf(allowedSubjects);
    if (allowedSubjects.isEmpty()) {
      // Being certain to refuse everyone is a configuration mistake, not a policy.
      throw new IllegalArgumentException(
          "allowedSubjects: must not be empty: with no allowed subject every caller is refused");
    }
    for (int i = 0; i < allowedSubjects.size(); i++) {
      parseSubject("allowedSubjects[" + i + "]", allowedSubjects.get(i));
    }
  }

  /** The allowed subjects as principals, without duplicates, in the given order. */
  public Set<X500Principal> allowedPrincipals() {
    Set<X500Principal> principals = new LinkedHashSet<>();
    for (int i = 0; i < allowedSubjects.size(); i++) {
      principals.add(parseSubject("allowedSubjects[" + i + "]", allowedSubjects.get(i)));
    }
    return principals;
  }

  /**
   * Parses a distinguished name.
   *
   * @param field the field path named in the error
   * @throws IllegalArgumentException naming {@code field} when {@code name} is not a distinguished
   *     name
   */
  public static X500Principal parseSubject(String field, String name) {
    Objects.requireNonNull(name, field);
    try {
      X500Principal principal = new X500Principal(name);
      if (principal.getName().isEmpty()) {
        throw new IllegalArgumentException("empty name");
      }
      return principal;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          field
              + ": must be a distinguished name in RFC 2253 form such as \"CN=ops,O=example\", was \""
              + name
              + "\"",
          e);
    }
  }
}
