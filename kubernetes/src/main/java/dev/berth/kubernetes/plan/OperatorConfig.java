package dev.berth.kubernetes.plan;

import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.ValidationPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * What the planner needs to know of the cluster it plans for, every setting with its default here
 * and nowhere else ({@link #DEFAULTS}).
 *
 * @param gateway the Gateway that l4 routes' TLSRoutes attach to. Defaults to {@code
 *     berth-passthrough} in the BerthService's own namespace.
 * @param certificates where l7 routes' certificates come from. Defaults to cert-manager with the
 *     ClusterIssuer {@code berth}.
 * @param ingressClassName the IngressClass of l7 routes' Ingresses. Defaults to null: the cluster's
 *     default class.
 * @param firstRoutePort the container port of a component's first route; the next routes take the
 *     ports after it, in declared order, and {@code PORT_<NAME>} (and {@code PORT}) say so.
 *     Defaults to 8080.
 * @param defaultDomain the domain an l7 route without a hostname is served under ({@code
 *     <service>.<domain>}), the node's {@code routes.default_domain}. Defaults to null: such a
 *     route is refused.
 * @param allowFloatingTags accept images without a tag or tagged {@code :latest}. Defaults to
 *     false, as on a node.
 * @param stageRecheck how soon to look again at a service that waits for its boot stage. Defaults
 *     to 2 seconds.
 * @param routeWithdrawalRecheck how soon to look again at a stopping service whose routes are being
 *     removed, before its Deployments go to 0 replicas. Defaults to 2 seconds.
 * @param noEventRecheck how soon to look again while waiting for what sends the service no event:
 *     an object of someone else's holding a name it needs, or a certificate Secret someone else
 *     writes. Defaults to 30 seconds.
 */
public record OperatorConfig(
    GatewayRef gateway,
    CertificateSource certificates,
    String ingressClassName,
    int firstRoutePort,
    String defaultDomain,
    boolean allowFloatingTags,
    Duration stageRecheck,
    Duration routeWithdrawalRecheck,
    Duration noEventRecheck) {

  public static final GatewayRef DEFAULT_GATEWAY = new GatewayRef(null, "berth-passthrough", null);
  public static final CertificateSource DEFAULT_CERTIFICATES =
      CertificateSource.certManager(new IssuerRef("ClusterIssuer", "berth"));
  public static final int DEFAULT_FIRST_ROUTE_PORT = 8080;
  public static final Duration DEFAULT_STAGE_RECHECK = Duration.ofSeconds(2);
  public static final Duration DEFAULT_ROUTE_WITHDRAWAL_RECHECK = Duration.ofSeconds(2);
  public static final Duration DEFAULT_NO_EVENT_RECHECK = Duration.ofSeconds(30);

  public static final OperatorConfig DEFAULTS =
      new OperatorConfig(
          DEFAULT_GATEWAY,
          DEFAULT_CERTIFICATES,
          null,
          DEFAULT_FIRST_ROUTE_PORT,
          null,
          false,
          DEFAULT_STAGE_RECHECK,
          DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
          DEFAULT_NO_EVENT_RECHECK);

  public OperatorConfig {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(stageRecheck, "stageRecheck");
    Objects.requireNonNull(routeWithdrawalRecheck, "routeWithdrawalRecheck");
    Objects.requireNonNull(noEventRecheck, "noEventRecheck");
    if (firstRoutePort < 1 || firstRoutePort + SpecValidator.MAX_ROUTES - 1 > 65535) {
      throw new IllegalArgumentException(
          "firstRoutePort must leave room for "
              + SpecValidator.MAX_ROUTES
              + " routes below 65536, was "
              + firstRoutePort);
    }
  }

  /** The validator's settings on this cluster: the same rules as a node with these settings. */
  public ValidationPolicy validationPolicy() {
    return new ValidationPolicy(allowFloatingTags, DefaultDomain.of(defaultDomain));
  }

  public OperatorConfig withGateway(GatewayRef value) {
    return new OperatorConfig(
        value,
        certificates,
        ingressClassName,
        firstRoutePort,
        defaultDomain,
        allowFloatingTags,
        stageRecheck,
        routeWithdrawalRecheck,
        noEventRecheck);
  }

  public OperatorConfig withCertificates(CertificateSource value) {
    return new OperatorConfig(
        gateway,
        value,
        ingressClassName,
        firstRoutePort,
        defaultDomain,
        allowFloatingTags,
        stageRecheck,
        routeWithdrawalRecheck,
        noEventRecheck);
  }

  public OperatorConfig withIngressClassName(String value) {
    return new OperatorConfig(
        gateway,
        certificates,
        value,
        firstRoutePort,
        defaultDomain,
        allowFloatingTags,
        stageRecheck,
        routeWithdrawalRecheck,
        noEventRecheck);
  }

  public OperatorConfig withDefaultDomain(String value) {
    return new OperatorConfig(
        gateway,
        certificates,
        ingressClassName,
        firstRoutePort,
        value,
        allowFloatingTags,
        stageRecheck,
        routeWithdrawalRecheck,
        noEventRecheck);
  }

  /**
   * A Gateway API Gateway, as a TLSRoute's parentRef names it.
   *
   * @param namespace its namespace, or null for the BerthService's own
   * @param name its name
   * @param sectionName the listener to attach to, or null for any that accepts the route
   */
  public record GatewayRef(String namespace, String name, String sectionName) {
    public GatewayRef {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A cert-manager issuer.
   *
   * @param kind {@code ClusterIssuer} or {@code Issuer}
   */
  public record IssuerRef(String kind, String name) {
    public IssuerRef {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Where the certificate of an l7 route comes from.
   *
   * @param mode who issues it
   * @param issuer the cert-manager issuer that signs it ({@link Mode#CERT_MANAGER} only, else null)
   * @param renewBefore how long before its expiry a certificate Berth issued is issued again
   *     ({@link Mode#LOCAL_CA} only, else null). Defaults to {@link #DEFAULT_RENEW_BEFORE}.
   */
  public record CertificateSource(Mode mode, IssuerRef issuer, Duration renewBefore) {

    /** Who issues l7 routes' certificates. */
    public enum Mode {
      /**
       * The planner writes a cert-manager {@code Certificate} per l7 route; its Ingress waits for
       * that Certificate's Ready condition.
       */
      CERT_MANAGER,
      /** Someone else writes each route's Secret; its Ingress waits until it holds one. */
      SECRETS,
      /**
       * The operator's own issuer (Berth's local CA) issues each route's certificate, and the
       * operator writes it as a {@code kubernetes.io/tls} Secret of its own; its Ingress waits
       * until that Secret holds a certificate for the route's hostname.
       */
      LOCAL_CA
    }

    /**
     * A third of the local CA's default 90-day leaf validity, as cert-manager and ACME clients
     * renew: time enough to notice and repair a failing issuer before anything expires.
     */
    public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);

    public CertificateSource {
      Objects.requireNonNull(mode, "mode");
      if ((mode == Mode.CERT_MANAGER) != (issuer != null)) {
        throw new IllegalArgumentException("an issuer goes with cert-manager, and only with it");
      }
      if ((mode == Mode.LOCAL_CA) != (renewBefore != null)) {
        throw new IllegalArgumentException("renewBefore goes with local-ca, and only with it");
      }
      if (renewBefore != null && (renewBefore.isNegative() || renewBefore.isZero())) {
        throw new IllegalArgumentException("renewBefore must be positive, was " + renewBefore);
      }
    }

    /** cert-manager issues each route's certificate into its Secret. */
    public static CertificateSource certManager(IssuerRef issuer) {
      return new CertificateSource(
          Mode.CERT_MANAGER, Objects.requireNonNull(issuer, "issuer"), null);
    }

    /**
     * Someone else (an issuer of your own, or a person) writes each l7 route's {@code
     * kubernetes.io/tls} Secret, under the name the route's status gives; its Ingress waits until
     * the Secret holds a certificate and key.
     */
    public static CertificateSource existingSecrets() {
      return new CertificateSource(Mode.SECRETS, null, null);
    }

    /**
     * The operator's own issuer writes each l7 route's Secret, and issues it again {@code
     * renewBefore} its expiry.
     */
    public static CertificateSource localCa(Duration renewBefore) {
      return new CertificateSource(
          Mode.LOCAL_CA, null, Objects.requireNonNull(renewBefore, "renewBefore"));
    }

    public boolean usesCertManager() {
      return mode == Mode.CERT_MANAGER;
    }

    /** Whether the operator issues certificates and writes their Secrets itself. */
    public boolean issuesOwn() {
      return mode == Mode.LOCAL_CA;
    }
  }
}
