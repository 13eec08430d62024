package dev.berth.runner.operator;

import dev.berth.kubernetes.operator.TlsIssuer;
import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import java.util.List;
import java.util.Objects;

/**
 * The operator's {@link TlsIssuer} for {@code certificates.source = "local-ca"}: the node's {@link
 * LocalCaIssuer}, its certificates handed over as PEM. Wiring only.
 */
public final class LocalCaTlsIssuer implements TlsIssuer {

  private final LocalCaIssuer issuer;

  public LocalCaTlsIssuer(LocalCaIssuer issuer) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  /** The local CA {@code config} describes (created in its directory on first use). */
  public static LocalCaTlsIssuer of(LocalCaConfig config) {
    return new LocalCaTlsIssuer(new LocalCaIssuer(config.directory(), config.leafValidity()));
  }

  @Override
  public Issued issue(List<String> dnsNames) {
    IssuedCertificate issued = issuer.issue(new CertificateRequest(dnsNames.get(0), dnsNames));
    return new Issued(
        Pem.encodeCertificates(issued.chain()),
        Pem.encodePrivateKey(issued.privateKey()),
        issued.notAfter());
  }
}
