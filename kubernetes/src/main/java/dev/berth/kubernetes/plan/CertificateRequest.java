package dev.berth.kubernetes.plan;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate the operator's own issuer is to issue for an l7 route (certificates source
 * local-ca), and the Secret it goes into.
 *
 * @param secretName the route's certificate Secret, the one its Ingress names
 * @param component the route's component
 * @param route the route's name
 * @param dnsNames the names the certificate must cover: the route's hostname
 * @param why why it is issued now (no Secret yet, other names, expiring), for the log
 */
public record CertificateRequest(
    String secretName, String component, String route, List<String> dnsNames, String why) {

  public CertificateRequest {
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(route, "route");
    dnsNames = List.copyOf(dnsNames);
    Objects.requireNonNull(why, "why");
  }

  /**
   * The route's {@code kubernetes.io/tls} Secret holding the issued certificate: {@code owner}'s
   * own (labelled and controlled like its other objects), its names and expiry in annotations for
   * the planner's next look.
   */
  public Secret secret(
      Owner owner, String certificateChainPem, String privateKeyPem, Instant notAfter) {
    return DesiredObjects.tlsSecret(owner, this, certificateChainPem, privateKeyPem, notAfter);
  }
}
