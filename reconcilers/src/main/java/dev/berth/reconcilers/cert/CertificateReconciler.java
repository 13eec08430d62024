package dev.berth.reconcilers.cert;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.service.CertificateState;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.store.registry.CertificateRecord;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.StoredService;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The certificate loop: one key per hostname of an L7 route. A reconcile reads what is declared and
 * stored for the hostname, lets the {@link CertificatePlanner} decide (ready, issue or renew
 * through the {@link IssuerPolicy}'s issuer, unused), and carries that out: it records the
 * certificate in the registry and on disk, and tells the services that use the name when its state
 * changes, so their routes go live, or stay blocked with the reason. A failure is retried with the
 * loop's backoff; a certificate still valid keeps serving while it is renewed.
 *
 * <p>It is also the service loop's {@link CertificateSource}.
 */
public final class CertificateReconciler implements CertificateSource, Reconciler<String> {

  /** See {@link CertificatePlanner#DEFAULT_RENEW_BEFORE}. */
  public static final Duration DEFAULT_RENEW_BEFORE = CertificatePlanner.DEFAULT_RENEW_BEFORE;

  private static final Logger LOG = System.getLogger(CertificateReconciler.class.getName());

  private final Registry registry;
  private final CertificateDirectory files;
  private final IssuerPolicy issuers;
  private final CertificatePlanner planner;
  private final java.time.Clock wall;
  private final Map<String, CertificateState> states = new ConcurrentHashMap<>();
  private volatile Consumer<String> enqueue = hostname -> {};
  private volatile Consumer<String> serviceChanged = service -> {};
  private volatile Failures failures = (service, hostname, stillValid, reason) -> {};

  /** Told of each failure to obtain or renew a certificate, once per service that uses it. */
  @FunctionalInterface
  public interface Failures {
    /**
     * @param stillValid true if only a renewal failed: the current certificate still serves
     */
    void failed(String service, String hostname, boolean stillValid, String reason);
  }

  /**
   * @param removeUnused whether a certificate no route uses any more is deleted (else kept, so a
   *     service that comes back need not wait for issuance or spend rate limit)
   */
  public CertificateReconciler(
      Registry registry,
      CertificateDirectory files,
      IssuerPolicy issuers,
      Duration renewBefore,
      boolean removeUnused,
      java.time.Clock wall) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.files = Objects.requireNonNull(files, "files");
    this.issuers = Objects.requireNonNull(issuers, "issuers");
    this.planner = new CertificatePlanner(renewBefore, removeUnused);
    this.wall = Objects.requireNonNull(wall, "wall");
  }

  /**
   * Connects the loop: how to queue a hostname, how to tell a service to look again, and whom to
   * tell of failures (for the services' event history).
   */
  public void attach(
      Consumer<String> enqueueHostname, Consumer<String> serviceChanged, Failures failures) {
    this.enqueue = Objects.requireNonNull(enqueueHostname);
    this.serviceChanged = Objects.requireNonNull(serviceChanged);
    this.failures = Objects.requireNonNull(failures);
  }

  @Override
  public CertificateState state(String hostname) {
    return states.getOrDefault(hostname, CertificateState.UNKNOWN);
  }

  @Override
  public void request(String hostname) {
    states.putIfAbsent(hostname, CertificateState.pending("requested"));
    enqueue.accept(hostname);
  }

  /** Every hostname an L7 route declares, and every certificate the registry holds. */
  public List<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (StoredService service : registry.services().list()) {
      keys.addAll(l7Hostnames(service));
    }
    registry.certificates().list().forEach(c -> keys.add(c.name()));
    return List.copyOf(keys);
  }

  /** Plans from what is declared and stored for the hostname, then carries the plan out. */
  @Override
  public Result reconcile(String hostname) {
    Optional<CertificateRecord> record = registry.certificates().get(hostname);
    CertificatePlanInput input =
        new CertificatePlanInput(
            hostname,
            servicesUsing(hostname),
            storedValidity(hostname),
            record.orElse(null),
            IssuerChoice.forHostname(issuers, hostname),
            wall.instant());
    CertificatePlan plan = planner.plan(input);
    if (plan instanceof CertificatePlan.Unused unused) {
      return unused(hostname, unused.remove());
    }
    if (plan instanceof CertificatePlan.Ready ready) {
      CertificateRecord current = record.orElseThrow();
      ready(
          hostname,
          files.locate(hostname),
          current.fingerprint(),
          current.notAfter(),
          input.users());
      return Result.requeueAfter(ready.nextLook());
    }
    if (plan instanceof CertificatePlan.Refused refused) {
      failed(hostname, refused.reason(), input.users(), refused.stillValid());
      throw new TerminalException(hostname + ": " + refused.reason());
    }
    CertificatePlan.Issue issue = (CertificatePlan.Issue) plan;
    return issue(hostname, issue.issuer(), input.users(), issue.stillValid());
  }

  private Result issue(
      String hostname, CertificateIssuer issuer, Set<String> users, boolean stillValid) {
    try {
      LOG.log(Level.INFO, "{0}: obtaining a certificate from {1}", hostname, issuer.name());
      IssuedCertificate issued = issuer.issue(CertificateRequest.of(hostname));
      CertificateDirectory.Stored stored = files.write(hostname, issued);
      registry
          .certificates()
          .put(
              new CertificateRecord(
                  hostname,
                  List.of(hostname),
                  issuer.name(),
                  "valid",
                  issued.serial(),
                  issued.notBefore(),
                  issued.notAfter(),
                  issued.fingerprint(),
                  stored.fullChain().toString(),
                  stored.privateKey().toString(),
                  null,
                  wall.instant()));
      ready(hostname, stored, issued.fingerprint(), issued.notAfter(), users);
      return Result.requeueAfter(planner.nextLook(issued.notAfter(), wall.instant()));
    } catch (IssuanceException e) {
      failed(hostname, e.getMessage(), users, stillValid);
      if (!e.retryable()) {
        throw new TerminalException(hostname + ": " + e.getMessage(), e);
      }
      throw e;
    } catch (IOException e) {
      failed(hostname, "cannot store the certificate: " + e.getMessage(), users, stillValid);
      throw new IssuanceException("cannot store the certificate of " + hostname, true, e);
    }
  }

  private void ready(
      String hostname,
      CertificateDirectory.Stored stored,
      String fingerprint,
      Instant notAfter,
      Set<String> users) {
    CertificateState state =
        CertificateState.ready(
            new RouteBinding.CertificateFiles(stored.fullChain(), stored.privateKey(), fingerprint),
            notAfter);
    if (!state.equals(states.put(hostname, state))) {
      users.forEach(serviceChanged);
    }
  }

  private void failed(String hostname, String reason, Set<String> users, boolean stillValid) {
    LOG.log(Level.WARNING, "{0}: no certificate: {1}", hostname, reason);
    users.forEach(service -> failures.failed(service, hostname, stillValid, reason));
    Optional<CertificateRecord> record = registry.certificates().get(hostname);
    registry
        .certificates()
        .put(
            new CertificateRecord(
                hostname,
                List.of(hostname),
                record.map(CertificateRecord::issuer).orElse(issuerName(hostname)),
                stillValid ? "valid" : "failed",
                record.map(CertificateRecord::serial).orElse(null),
                record.map(CertificateRecord::notBefore).orElse(null),
                record.map(CertificateRecord::notAfter).orElse(null),
                record.map(CertificateRecord::fingerprint).orElse(null),
                record.map(CertificateRecord::chainPath).orElse(null),
                record.map(CertificateRecord::keyPath).orElse(null),
                reason,
                wall.instant()));
    if (stillValid) {
      // Renewal failed but the certificate still serves: the routes stay up, the error is kept.
      return;
    }
    CertificateState state = CertificateState.failed(reason);
    if (!state.equals(states.put(hostname, state))) {
      users.forEach(serviceChanged);
    }
  }

  private String issuerName(String hostname) {
    try {
      return issuers.issuerFor(hostname).name();
    } catch (IssuanceException e) {
      return "none";
    }
  }

  private Result unused(String hostname, boolean remove) {
    states.remove(hostname);
    if (remove) {
      try {
        files.delete(hostname);
      } catch (IOException e) {
        throw new IssuanceException("cannot delete the unused certificate " + hostname, true, e);
      }
      registry.certificates().delete(hostname);
      LOG.log(Level.INFO, "{0}: removed the certificate no route uses", hostname);
    }
    return Result.done();
  }

  /** The validity of the stored files, or null if they do not read back as a certificate. */
  private Validity storedValidity(String hostname) {
    try {
      return files.read(hostname).map(Validity::of).orElse(null);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING, "{0}: the stored certificate is unusable: {1}", hostname, e.getMessage());
      return null;
    }
  }

  private Set<String> servicesUsing(String hostname) {
    Set<String> users = new LinkedHashSet<>();
    for (StoredService service : registry.services().list()) {
      if (l7Hostnames(service).contains(hostname)) {
        users.add(service.name());
      }
    }
    return users;
  }

  private static Set<String> l7Hostnames(StoredService service) {
    Set<String> names = new LinkedHashSet<>();
    for (ComponentSpec component : service.spec().components()) {
      for (RouteSpec route : component.routes()) {
        if (route.mode() == RouteMode.L7) {
          names.add(route.hostname());
        }
      }
    }
    return names;
  }
}
