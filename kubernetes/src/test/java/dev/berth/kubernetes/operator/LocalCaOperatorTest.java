package dev.berth.kubernetes.operator;

import static dev.berth.kubernetes.operator.BerthServiceReconcilerTest.WWW;
import static dev.berth.kubernetes.operator.BerthServiceReconcilerTest.container;
import static dev.berth.kubernetes.operator.BerthServiceReconcilerTest.spec;
import static dev.berth.kubernetes.operator.OperatorTestCluster.NS;
import static dev.berth.kubernetes.operator.OperatorTestCluster.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.plan.OperatorConfig;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates source local-ca on the mock cluster, with a fake issuer: the operator writes each l7
 * route's Secret itself, before its Ingress, issues it again near its expiry, and reports a failing
 * issuer.
 */
class LocalCaOperatorTest {

  private static final Duration RENEW_BEFORE =
      OperatorConfig.CertificateSource.DEFAULT_RENEW_BEFORE;

  private OperatorTestCluster test;
  private final FakeIssuer issuer = new FakeIssuer();

  @AfterEach
  void stop() {
    if (test != null) {
      test.close();
    }
  }

  /** Issues PEM-looking text valid for {@link #lifetime}, or fails while {@link #failures} > 0. */
  static final class FakeIssuer implements TlsIssuer {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    volatile Duration lifetime = Duration.ofDays(90);

    @Override
    public Issued issue(List<String> dnsNames) {
      calls.add(dnsNames);
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("the CA cannot be read");
      }
      int n = calls.size();
      return new Issued("CHAIN " + n + " " + dnsNames, "KEY " + n, Instant.now().plus(lifetime));
    }
  }

  private OperatorTestCluster start(Duration resync) throws Exception {
    OperatorConfig config =
        new OperatorConfig(
            OperatorConfig.DEFAULT_GATEWAY,
            OperatorConfig.CertificateSource.localCa(RENEW_BEFORE),
            null,
            OperatorConfig.DEFAULT_FIRST_ROUTE_PORT,
            null,
            false,
            OperatorConfig.DEFAULT_STAGE_RECHECK,
            OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
            Duration.ofMillis(200));
    return OperatorTestCluster.start(false, false)
        .run(
            OperatorSettings.DEFAULTS
                .withNamespaces(WatchedNamespaces.of(NS))
                .withPlanner(config)
                .withResync(resync),
            issuer);
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  @Test
  void theOperatorWritesTheRoutesSecretThenItsIngress() throws Exception {
    test = start(OperatorSettings.DEFAULT_RESYNC);
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));

    Ingress ingress = test.await(Ingress.class, "web-app-www");
    Secret secret = test.get(Secret.class, "web-app-www");

    assertThat(issuer.calls).containsExactly(List.of("www.example.test"));
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(decoded(secret, "tls.crt")).isEqualTo("CHAIN 1 [www.example.test]");
    assertThat(decoded(secret, "tls.key")).isEqualTo("KEY 1");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(ClusterLabels.SERVICE, "web")
        .containsEntry(ClusterLabels.ROUTE, "www");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getController()).isTrue());
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(ClusterLabels.CERTIFICATE_NAMES, "www.example.test");
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("web-app-www");
    List<String> writes = test.cluster.writesSince(0);
    assertThat(writes.indexOf("POST /api/v1/namespaces/" + NS + "/secrets"))
        .isNotNegative()
        .isLessThan(
            writes.indexOf("POST /apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses"));
  }

  @Test
  void anIdleServiceWritesNothingAndIssuesNothingAgain() throws Exception {
    test = start(Duration.ofMillis(500));
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Ingress.class, "web-app-www");
    test.podsReady("web-app");
    BerthServiceStatus converged = test.awaitStatus("web", condition("Ready", "True", "Converged"));
    assertThat(converged.conditions())
        .anySatisfy(
            c -> assertThat(c.type() + "=" + c.status()).isEqualTo("CertificateReady=True"));
    double before = reconciles();
    int mark = test.cluster.mark();

    Awaitility.await().atMost(OperatorTestCluster.WAIT).until(() -> reconciles() >= before + 3);

    assertThat(test.cluster.writesSince(mark)).isEmpty();
    assertThat(issuer.calls).hasSize(1);
  }

  @Test
  void aCertificateEnteringItsRenewalWindowIsIssuedAgain() throws Exception {
    // The first certificate enters its renewal window a second after it is issued; the planner
    // asks to look again then, and no other event comes.
    issuer.lifetime = RENEW_BEFORE.plusSeconds(1);
    test = start(OperatorSettings.DEFAULT_RESYNC);
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Ingress.class, "web-app-www");
    issuer.lifetime = Duration.ofDays(90);

    Secret renewed =
        test.await(Secret.class, "web-app-www", s -> decoded(s, "tls.key").equals("KEY 2"));

    assertThat(issuer.calls).hasSize(2);
    assertThat(
            Instant.parse(
                renewed.getMetadata().getAnnotations().get(ClusterLabels.CERTIFICATE_NOT_AFTER)))
        .isAfter(Instant.now().plus(Duration.ofDays(89)));
    assertThat(test.get(Ingress.class, "web-app-www")).isNotNull();
  }

  @Test
  void aFailingIssuerShowsInCertificateReadyAndIsTriedAgain() throws Exception {
    issuer.failures.set(Integer.MAX_VALUE);
    test = start(OperatorSettings.DEFAULT_RESYNC);
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));

    BerthServiceStatus failing =
        test.awaitStatus("web", condition("CertificateReady", "False", "IssuanceFailed"));
    assertThat(OperatorTestCluster.conditionOf(failing, "CertificateReady").message())
        .contains("the CA cannot be read");
    assertThat(test.ingresses()).isEmpty();
    assertThat(test.get(Secret.class, "web-app-www")).isNull();

    issuer.failures.set(0);

    test.await(Ingress.class, "web-app-www");
    assertThat(new ArrayList<>(issuer.calls)).hasSizeGreaterThan(1);
  }

  @Test
  void deletingTheServiceDeletesItsSecret() throws Exception {
    test = start(OperatorSettings.DEFAULT_RESYNC);
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Ingress.class, "web-app-www");

    test.cluster.client.resource(test.service("web")).delete();

    test.awaitGone(Secret.class, "web-app-www");
    test.awaitGone(Ingress.class, "web-app-www");
  }

  @Test
  void removingTheRouteDeletesItsSecret() throws Exception {
    test = start(OperatorSettings.DEFAULT_RESYNC);
    test.declare("web", spec(container("app", "nginx:1.27", List.of(WWW))));
    test.await(Ingress.class, "web-app-www");

    test.change("web", s -> spec(container("app", "nginx:1.27", List.of())));

    test.awaitGone(Secret.class, "web-app-www");
    test.awaitGone(Ingress.class, "web-app-www");
  }

  private double reconciles() {
    return test.meters.getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
        .mapToDouble(m -> m.measure().iterator().next().getValue())
        .sum();
  }
}
