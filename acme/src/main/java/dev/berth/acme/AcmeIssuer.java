package dev.berth.acme;

import dev.berth.reconcilers.cert.CertificateIssuer;
import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.DomainNames;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.SecureFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Certificates from an ACME CA (Let's Encrypt, ZeroSSL, a private step-ca, pebble), proving control
 * of each name with an http-01 challenge.
 *
 * <p>One {@link #issue} runs the whole RFC 8555 flow and blocks until the certificate is there or
 * the issuance has failed: find or register the account (with external account binding where
 * configured), order the names, answer each pending authorization's http-01 challenge through the
 * {@link Http01Responder}, finalize with a fresh key and CSR, and download the full chain. Every
 * wait is bounded: each challenge by {@link AcmeConfig#challengeTimeout()}, all of them together by
 * {@link AcmeConfig#orderTimeout()}, and each request by {@link #NETWORK_TIMEOUT}.
 *
 * <p>Wildcard names are refused before anything is sent: only dns-01 can prove them.
 */
public final class AcmeIssuer implements CertificateIssuer {

  public static final String NAME = "acme";

  /** Bounds each HTTP request to the ACME server; acme4j's own default is 30 s too. */
  public static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(30);

  /** Polling interval when the server gives no Retry-After; pebble and boulder answer quickly. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** The longest a server's Retry-After may make us sleep between two polls. */
  static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(AcmeIssuer.class.getName());

  private final AcmeConfig config;
  private final Http01Responder responder;
  private final Object accountKeyLock = new Object();

  public AcmeIssuer(AcmeConfig config, Http01Responder responder) {
    this.config = config;
    this.responder = responder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public IssuedCertificate issue(CertificateRequest request) {
    List<String> domains = checkedDomains(request);
    Instant deadline = Instant.now().plus(config.orderTimeout());
    String step = "connecting to " + config.directory();
    try {
      Session session = session();
      step = "finding or registering the account at " + config.directory();
      Login login;
      try {
        login = login(session);
      } catch (AcmeServerException e) {
        throw withBindingHint(AcmeFailures.of(step, e));
      }
      step = "ordering a certificate for " + domains;
      Order order = login.newOrder().domains(domains).create();
      for (Authorization authorization : order.getAuthorizations()) {
        step = "authorization for " + authorization.getIdentifier().getDomain();
        authorize(authorization, deadline);
      }
      step = "the order for " + domains;
      Status ready =
          await(order, EnumSet.of(Status.READY, Status.VALID, Status.INVALID), deadline, step);
      failIfInvalid(ready, order, step);
      KeyPair key = config.keyType().generate();
      step = "finalizing the order for " + domains;
      order.execute(key);
      failIfInvalid(
          await(order, EnumSet.of(Status.VALID, Status.INVALID), deadline, step), order, step);
      step = "downloading the certificate for " + domains;
      Certificate certificate = order.getCertificate();
      certificate.download();
      List<X509Certificate> chain = certificate.getCertificateChain();
      LOG.log(
          Level.INFO,
          "ACME issued a certificate for {0} valid until {1}",
          domains,
          chain.get(0).getNotAfter());
      return new IssuedCertificate(chain, key.getPrivate());
    } catch (AcmeException e) {
      throw AcmeFailures.of(step, e);
    } catch (AcmeLazyLoadingException e) {
      // acme4j loads resources lazily in getters and wraps the failure; the cause says what it was.
      throw e.getCause() instanceof AcmeException cause
          ? AcmeFailures.of(step, cause)
          : new IssuanceException("acme: " + step + " failed: " + e.getMessage(), true, e);
    } catch (AcmeProtocolException e) {
      throw new IssuanceException(
          "acme: " + step + " failed: the server's answer breaks the protocol: " + e.getMessage(),
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuanceException("acme: " + step + " was interrupted", true, e);
    }
  }

  /**
   * The request's names, checked before anything reaches the CA: an invalid or wildcard name can
   * never be issued this way, so it fails at once and for good.
   */
  private static List<String> checkedDomains(CertificateRequest request) {
    List<String> domains = new ArrayList<>();
    for (String domain : request.domains()) {
      String valid;
      try {
        valid = DomainNames.requireValid(domain);
      } catch (IllegalArgumentException e) {
        throw new IssuanceException(
            "acme: cannot issue for " + request.name() + ": " + e.getMessage(), false, e);
      }
      if (DomainNames.isWildcard(valid)) {
        throw new IssuanceException(
            "acme: cannot issue for "
                + valid
                + ": a wildcard name needs dns-01, which Berth's ACME issuer does not do"
                + " (it proves names with http-01 only)",
            false);
      }
      domains.add(valid);
    }
    return domains;
  }

  private Session session() {
    Session session;
    if (config.extraTrust() == null) {
      session = new Session(config.directory());
    } else {
      try {
        session = new Session(config.directory(), ExtraTrustProvider.trusting(config.extraTrust()));
      } catch (IOException e) {
        throw new IssuanceException("acme: " + e.getMessage(), true, e);
      }
    }
    session.networkSettings().setTimeout(NETWORK_TIMEOUT);
    return session;
  }

  /** A refused registration with a binding configured: most likely the binding is wrong. */
  private IssuanceException withBindingHint(IssuanceException failure) {
    if (config.externalAccountBinding() == null || failure.retryable()) {
      return failure;
    }
    return new IssuanceException(
        failure.getMessage()
            + " (check externalAccountBinding: the key identifier "
            + config.externalAccountBinding().keyIdentifier()
            + " and its HMAC key must be the pair the CA handed out)",
        false,
        failure.getCause());
  }

  /**
   * RFC 8555 makes registration idempotent per key: registering a key that already has an account
   * finds that account. So "find or register" is one request.
   */
  private Login login(Session session) throws AcmeException {
    AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
    if (config.contactEmail() != null) {
      account.addEmail(config.contactEmail());
    }
    if (config.externalAccountBinding() != null) {
      account.withKeyIdentifier(
          config.externalAccountBinding().keyIdentifier(),
          config.externalAccountBinding().hmacKey());
    }
    return account.createLogin(session);
  }

  /** The account key from its file, or a new one written there (0600) if there is none. */
  private KeyPair accountKey() {
    Path file = config.accountKeyFile();
    synchronized (accountKeyLock) {
      try {
        if (Files.exists(file)) {
          try {
            return Pem.decodeKeyPair(Files.readString(file, StandardCharsets.US_ASCII));
          } catch (IllegalArgumentException e) {
            throw new IssuanceException(
                "acme: the account key "
                    + file
                    + " is damaged ("
                    + e.getMessage()
                    + "); restore it,"
                    + " or remove it to register a new account",
                true,
                e);
          }
        }
        KeyPair key = KeyType.EC_P256.generate();
        Path parent = file.toAbsolutePath().getParent();
        SecureFiles.createPrivateDirectories(parent);
        SecureFiles.writeAtomically(
            file,
            Pem.encodeKeyPair(key).getBytes(StandardCharsets.US_ASCII),
            SecureFiles.PRIVATE_FILE);
        LOG.log(Level.INFO, "created the ACME account key {0}", file);
        return key;
      } catch (IOException e) {
        throw new IssuanceException(
            "acme: cannot read or create the account key " + file + ": " + e, true, e);
      }
    }
  }

  /** Answers the authorization's http-01 challenge, unless the server already holds it valid. */
  private void authorize(Authorization authorization, Instant deadline)
      throws AcmeException, InterruptedException {
    String domain = authorization.getIdentifier().getDomain();
    String step = "authorization for " + domain;
    if (authorization.getStatus() == Status.VALID) {
      return;
    }
    if (authorization.getStatus() != Status.PENDING) {
      throw new IssuanceException(
          "acme: "
              + step
              + " failed: it is "
              + authorization.getStatus().name().toLowerCase()
              + " at the CA",
          true);
    }
    Http01Challenge challenge =
        authorization
            .<Http01Challenge>findChallenge(Http01Challenge.TYPE)
            .orElseThrow(
                () ->
                    new IssuanceException(
                        "acme: " + step + " failed: the CA offers no http-01 challenge for it",
                        false));
    String token = challenge.getToken();
    try {
      responder.publish(token, challenge.getAuthorization());
    } catch (IOException | IllegalArgumentException e) {
      throw new IssuanceException(
          "acme: " + step + " failed: cannot publish the http-01 answer: " + e.getMessage(),
          true,
          e);
    }
    try {
      challenge.trigger();
      Instant challengeDeadline = earlier(deadline, Instant.now().plus(config.challengeTimeout()));
      Status status =
          await(challenge, EnumSet.of(Status.VALID, Status.INVALID), challengeDeadline, step);
      if (status == Status.INVALID) {
        throw challenge
            .getError()
            .map(problem -> AcmeFailures.of(step, problem))
            .orElseGet(
                () ->
                    new IssuanceException(
                        "acme: " + step + " failed: the CA gives no reason", true));
      }
    } finally {
      withdraw(token, domain);
    }
  }

  private void withdraw(String token, String domain) {
    try {
      responder.withdraw(token);
    } catch (IOException e) {
      // A stale answer is harmless (tokens are single-use); it must not hide the real outcome.
      LOG.log(Level.WARNING, "cannot withdraw the http-01 answer for " + domain, e);
    }
  }

  /**
   * Polls until the resource reaches one of the statuses, honouring the server's Retry-After but
   * never past the deadline.
   *
   * @throws IssuanceException (retryable) when the deadline comes first
   */
  private static Status await(
      PollableResource resource, Set<Status> done, Instant deadline, String step)
      throws AcmeException, InterruptedException {
    while (!done.contains(resource.getStatus())) {
      Optional<Instant> retryAfter = resource.fetch();
      if (done.contains(resource.getStatus())) {
        break;
      }
      Instant now = Instant.now();
      Instant next = retryAfter.orElse(now.plus(POLL_INTERVAL));
      next = earlier(next, now.plus(MAX_POLL_INTERVAL));
      if (!next.isBefore(deadline)) {
        throw new IssuanceException(
            "acme: "
                + step
                + " did not complete in time (still "
                + resource.getStatus().name().toLowerCase()
                + ")",
            true);
      }
      Thread.sleep(Math.max(0, Duration.between(now, next).toMillis()));
    }
    return resource.getStatus();
  }

  private static void failIfInvalid(Status status, Order order, String step) {
    if (status == Status.INVALID) {
      throw order
          .getError()
          .map(problem -> AcmeFailures.of(step, problem))
          .orElseGet(
              () ->
                  new IssuanceException("acme: " + step + " failed: the CA gives no reason", true));
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
