package dev.berth.runner.agent;

import dev.berth.acme.AcmeIssuer;
import dev.berth.acme.DirectoryResponder;
import dev.berth.acme.EmbeddedHttp01Server;
import dev.berth.acme.Http01Responder;
import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.runner.config.AcmeSetup;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.CertificatesConfig;
import dev.berth.runner.config.ConfigException;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.Registry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/**
 * The node's certificate issuers: the local CA for internal names, an ACME CA for the others, and
 * the http-01 responder ACME needs. When routes are enabled nginx serves the challenges from a
 * directory; otherwise Berth answers them itself, on the challenge port.
 */
final class CertificateIssuers implements AutoCloseable {

  private final CertificatesConfig config;
  private final LocalCaIssuer localCa;
  private final IssuerPolicy policy;
  private final EmbeddedHttp01Server challengeServer;

  private CertificateIssuers(
      CertificatesConfig config,
      LocalCaIssuer localCa,
      IssuerPolicy policy,
      EmbeddedHttp01Server challengeServer) {
    this.config = config;
    this.localCa = localCa;
    this.policy = policy;
    this.challengeServer = challengeServer;
  }

  /**
   * The issuers the configuration asks for; none at all when it asks for none.
   *
   * @throws ConfigException if the challenge port cannot be listened on, or the EAB key file cannot
   *     be read any more
   */
  static CertificateIssuers create(AgentConfig agent) {
    CertificatesConfig config = agent.certificates();
    LocalCaIssuer localCa =
        config.localCa().enabled()
            ? new LocalCaIssuer(config.localCa().directory(), config.localCa().leafValidity())
            : null;
    AcmeSetup acme = config.acme();
    if (acme == null) {
      IssuerPolicy policy =
          localCa == null ? null : new IssuerPolicy(null, localCa, config.internalSuffixes());
      return new CertificateIssuers(config, localCa, policy, null);
    }
    EmbeddedHttp01Server server = null;
    Http01Responder responder;
    if (agent.routes().enabled()) {
      responder = new DirectoryResponder(acme.challenge().directory());
    } else {
      server = listen(agent);
      responder = server;
    }
    AcmeIssuer issuer = new AcmeIssuer(acme.config(), responder);
    return new CertificateIssuers(
        config, localCa, new IssuerPolicy(issuer, localCa, config.internalSuffixes()), server);
  }

  /** The local CA, when enabled. */
  LocalCaIssuer localCa() {
    return localCa;
  }

  /** The certificate loop over these issuers, or null when there is no issuer. */
  CertificateReconciler reconciler(Registry registry) {
    if (policy == null) {
      return null;
    }
    return new CertificateReconciler(
        registry,
        new CertificateDirectory(config.dir()),
        policy,
        config.renewBefore(),
        config.removeUnused(),
        Clock.systemUTC());
  }

  @Override
  public void close() {
    if (challengeServer != null) {
      challengeServer.close();
    }
  }

  /** Berth's own challenge server, on the routes' listen address and the challenge port. */
  private static EmbeddedHttp01Server listen(AgentConfig agent) {
    InetSocketAddress address =
        new InetSocketAddress(
            agent.routes().nginx().listenAddress(), agent.certificates().acme().challenge().port());
    try {
      return EmbeddedHttp01Server.start(address);
    } catch (IOException e) {
      throw new ConfigException(
          agent.source(),
          List.of(
              new Violation(
                  "certificates.acme.challenge_port",
                  "cannot answer ACME http-01 challenges: "
                      + e.getMessage()
                      + " (with routes disabled Berth listens on the challenge port itself)")));
    }
  }
}
