package dev.berth.reconcilers.cert;

import dev.berth.store.registry.CertificateRecord;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the certificate planner looks at for one hostname.
 *
 * @param hostname the name the certificate is for
 * @param users the services whose L7 routes declare the name (empty: no route uses it)
 * @param onDisk the validity of the stored certificate files, or null if there are none or they do
 *     not read back as a certificate
 * @param recorded what the registry holds for the name, or null
 * @param issuer which issuer may sign the name, or why none may
 * @param now the time the plan is made at
 */
public record CertificatePlanInput(
    String hostname,
    Set<String> users,
    Validity onDisk,
    CertificateRecord recorded,
    IssuerChoice issuer,
    Instant now) {

  /** Requires the hostname and the issuer choice; copies the users. */
  public CertificatePlanInput {
    Objects.requireNonNull(hostname, "hostname");
    users = Set.copyOf(users);
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(now, "now");
  }
}
