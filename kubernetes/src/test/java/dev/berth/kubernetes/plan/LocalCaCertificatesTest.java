package dev.berth.kubernetes.plan;

import static dev.berth.kubernetes.plan.KubernetesPlannerTest.HTTPS;
import static dev.berth.kubernetes.plan.KubernetesPlannerTest.condition;
import static dev.berth.kubernetes.plan.KubernetesPlannerTest.kinds;
import static dev.berth.kubernetes.plan.KubernetesPlannerTest.only;
import static dev.berth.kubernetes.plan.KubernetesPlannerTest.shop;
import static dev.berth.kubernetes.plan.KubernetesPlannerTest.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Certificates source local-ca: the planner says which routes' certificates to issue, and when. */
class LocalCaCertificatesTest {

  static final OperatorConfig LOCAL_CA =
      OperatorConfig.DEFAULTS.withCertificates(
          OperatorConfig.CertificateSource.localCa(
              OperatorConfig.CertificateSource.DEFAULT_RENEW_BEFORE));

  private final Scene scene = Scene.of(shop(web().routes(HTTPS).build())).config(LOCAL_CA);

  /** The Secret the operator writes for {@code request}, valid until {@code notAfter}. */
  private Secret issued(CertificateRequest request, Instant notAfter) {
    return request.secret(scene.owner(), "CHAIN", "KEY", notAfter);
  }

  private Secret issuedFor(List<String> names, Instant notAfter) {
    return issued(
        new CertificateRequest("shop-web-https", "web", "https", names, "a test"), notAfter);
  }

  @Test
  void aRouteWithoutSecretAsksForACertificateForItsHostnameAndNoIngress() {
    scene.apply();
    KubernetesPlan plan = scene.plan();

    assertThat(plan.certificates())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.secretName()).isEqualTo("shop-web-https");
              assertThat(request.dnsNames()).containsExactly("shop.example.net");
            });
    assertThat(kinds(plan)).doesNotContain("Ingress");
    assertThat(condition(plan, "CertificateReady").status()).isEqualTo("False");
    assertThat(condition(plan, "CertificateReady").reason()).isEqualTo("Pending");
  }

  @Test
  void aFreshSecretAsksForNothingTheIngressFollowsAndItLooksAgainAtItsRenewal() {
    scene.holding(issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(90))));

    KubernetesPlan first = scene.plan();
    assertThat(first.certificates()).isEmpty();
    assertThat(only(first.writes(), Ingress.class).getSpec().getTls().get(0).getSecretName())
        .isEqualTo("shop-web-https");

    KubernetesPlan idle = scene.settle();
    assertThat(idle.certificates()).isEmpty();
    assertThat(condition(idle, "CertificateReady").status()).isEqualTo("True");
    assertThat(idle.requeueAfter()).isEqualTo(Duration.ofDays(60));
  }

  @Test
  void aSecretWithinItsRenewalWindowIsIssuedAgainWhileTheRouteStaysServed() {
    scene.holding(issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(10))));

    KubernetesPlan plan = scene.plan();

    assertThat(plan.certificates())
        .singleElement()
        .satisfies(r -> assertThat(r.why()).contains("expires"));
    assertThat(kinds(plan)).contains("Ingress");
    assertThat(condition(plan, "CertificateReady").status()).isEqualTo("True");
  }

  @Test
  void anExpiredSecretIsIssuedAgainAndTheRouteWaits() {
    scene.holding(issuedFor(List.of("shop.example.net"), Scene.NOW.minusSeconds(1)));

    KubernetesPlan plan = scene.plan();

    assertThat(plan.certificates())
        .singleElement()
        .satisfies(r -> assertThat(r.why()).contains("expired"));
    assertThat(kinds(plan)).doesNotContain("Ingress");
  }

  @Test
  void aSecretForOtherNamesIsIssuedAgainForTheRouteHostname() {
    scene.holding(issuedFor(List.of("old.example.net"), Scene.NOW.plus(Duration.ofDays(90))));

    KubernetesPlan plan = scene.plan();

    assertThat(plan.certificates())
        .singleElement()
        .satisfies(r -> assertThat(r.dnsNames()).containsExactly("shop.example.net"));
    assertThat(kinds(plan)).doesNotContain("Ingress");
  }

  @Test
  void aSecretThatIsNotItsOwnIsANameConflictAndNeverWrittenOver() {
    scene.holding(
        new SecretBuilder()
            .withNewMetadata()
            .withName("shop-web-https")
            .withNamespace(Scene.NAMESPACE)
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(Map.of("tls.crt", "Y2VydA==", "tls.key", "a2V5"))
            .build());

    KubernetesPlan plan = scene.plan();

    assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.CONFLICT);
    assertThat(plan.certificates()).isEmpty();
    assertThat(plan.writes()).isEmpty();
    assertThat(condition(plan, "Ready").reason()).isEqualTo("NameConflict");
    assertThat(condition(plan, "Ready").message()).contains("Secret shop-web-https");
  }

  @Test
  void aFailedIssueShowsInCertificateReadyAndIsTriedAgainLater() {
    scene.apply();
    scene.observed = scene.observed.withIssueFailure("shop-web-https", "the CA cannot be read");

    KubernetesPlan plan = scene.plan();

    assertThat(condition(plan, "CertificateReady").status()).isEqualTo("False");
    assertThat(condition(plan, "CertificateReady").reason()).isEqualTo("IssuanceFailed");
    assertThat(condition(plan, "CertificateReady").message()).contains("the CA cannot be read");
    assertThat(plan.requeueAfter()).isEqualTo(OperatorConfig.DEFAULT_NO_EVENT_RECHECK);
  }

  @Test
  void aFailedRenewalShowsInCertificateReadyWhileTheRouteStaysServed() {
    scene.holding(issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(10))));
    scene.observed = scene.observed.withIssueFailure("shop-web-https", "the CA cannot be read");

    KubernetesPlan plan = scene.plan();

    assertThat(kinds(plan)).contains("Ingress");
    assertThat(condition(plan, "CertificateReady").reason()).isEqualTo("IssuanceFailed");
    assertThat(condition(plan, "CertificateReady").message())
        .contains("the current certificate serves until");
  }

  @Test
  void cleanupDeletesTheSecretsItsOwnIssuerWrote() {
    Secret own = issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(90)));
    ObservedObjects observed = ObservedObjects.none().with(own);

    CleanupPlan withLocalCa = new KubernetesPlanner(LOCAL_CA).cleanup(scene.owner(), observed);
    CleanupPlan withSecrets =
        new KubernetesPlanner(
                OperatorConfig.DEFAULTS.withCertificates(
                    OperatorConfig.CertificateSource.existingSecrets()))
            .cleanup(scene.owner(), observed);

    assertThat(withLocalCa.deletions()).extracting(HasMetadata::getKind).containsExactly("Secret");
    assertThat(withSecrets.deletions()).isEmpty();
  }

  @Test
  void theSecretOfARemovedRouteIsDeletedOnlyWithTheLocalCa() {
    Secret own = issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(90)));
    scene.holding(own);
    scene.declare(shop(web().build()));

    KubernetesPlan withLocalCa = scene.plan();
    KubernetesPlan withSecrets =
        scene
            .config(
                OperatorConfig.DEFAULTS.withCertificates(
                    OperatorConfig.CertificateSource.existingSecrets()))
            .plan();

    assertThat(withLocalCa.deletions()).extracting(HasMetadata::getKind).containsExactly("Secret");
    assertThat(withSecrets.deletions()).isEmpty();
  }

  @Test
  void theSecretOfAStoppedServiceIsKept() {
    scene.holding(issuedFor(List.of("shop.example.net"), Scene.NOW.plus(Duration.ofDays(90))));
    scene.settle();
    scene.redeclare(
        shop(web().routes(HTTPS).build())
            .withDesiredState(dev.berth.spec.model.DesiredState.STOPPED));

    for (int round = 0; round < 3; round++) {
      assertThat(scene.apply().deletions())
          .extracting(HasMetadata::getKind)
          .doesNotContain("Secret");
    }
  }
}
