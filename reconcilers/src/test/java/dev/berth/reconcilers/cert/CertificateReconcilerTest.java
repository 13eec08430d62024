package dev.berth.reconcilers.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.reconcilers.service.CertificateState;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate loop, with the local CA as a real issuer and a clock the test moves. */
class CertificateReconcilerTest {

  static final String NAME = "shop.berth.internal";
  static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  @TempDir Path root;
  Registry registry;
  AtomicReference<Instant> now = new AtomicReference<>(START);
  Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  /** The local CA (90-day leaves), or a failure when {@link #failure} is set. */
  AtomicReference<IssuanceException> failure = new AtomicReference<>();

  List<String> issued = new ArrayList<>();
  List<String> told = new ArrayList<>();
  List<String> failures = new ArrayList<>();
  CertificateReconciler manager;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    LocalCaIssuer localCa = new LocalCaIssuer(root.resolve("ca"), Duration.ofDays(90), clock);
    CertificateIssuer issuer =
        new CertificateIssuer() {
          @Override
          public String name() {
            return "local-ca";
          }

          @Override
          public IssuedCertificate issue(CertificateRequest request) {
            if (failure.get() != null) {
              throw failure.get();
            }
            issued.add(request.name());
            return localCa.issue(request);
          }
        };
    manager =
        new CertificateReconciler(
            registry,
            new CertificateDirectory(root.resolve("certificates")),
            new IssuerPolicy(null, issuer, IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES),
            Duration.ofDays(30),
            true,
            clock);
    manager.attach(
        hostname -> {},
        told::add,
        (service, hostname, stillValid, reason) ->
            failures.add(service + " " + hostname + " " + stillValid + " " + reason));
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test",
                List.of(
                    ServiceSpec.of(
                        "shop",
                        ComponentSpec.container("web", "localhost/web:1")
                            .withRoutes(
                                List.of(new RouteSpec("https", 443, RouteMode.L7, NAME)))))));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aDemandedCertificateIsIssuedStoredAndItsServicesAreTold() {
    Result result = manager.reconcile(NAME);
    assertThat(issued).containsExactly(NAME);
    CertificateState state = manager.state(NAME);
    assertThat(state.ready()).isTrue();
    assertThat(state.files().fullChain()).exists();
    assertThat(registry.certificates().get(NAME))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("valid"));
    assertThat(told).containsExactly("shop");
    // The renewal window opens in 60 days; a valid certificate is still looked at daily.
    assertThat(result.requeueAfter()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aValidCertificateOutsideItsRenewalWindowIsNotIssuedAgain() {
    manager.reconcile(NAME);
    now.set(START.plus(Duration.ofDays(59)));
    manager.reconcile(NAME);
    assertThat(issued).hasSize(1);
  }

  @Test
  void aCertificateInsideItsRenewalWindowIsRenewed() {
    manager.reconcile(NAME);
    String before = manager.state(NAME).files().fingerprint();
    now.set(START.plus(Duration.ofDays(61)));
    manager.reconcile(NAME);
    assertThat(issued).hasSize(2);
    assertThat(manager.state(NAME).files().fingerprint()).isNotEqualTo(before);
  }

  @Test
  void aFailedIssuanceBlocksTheRouteWithTheReasonTellsItsServicesAndIsRetried() {
    failure.set(new IssuanceException("acme: rate limited", true));
    assertThatThrownBy(() -> manager.reconcile(NAME)).isInstanceOf(IssuanceException.class);
    assertThat(manager.state(NAME).phase()).isEqualTo(CertificateState.Phase.FAILED);
    assertThat(manager.state(NAME).reason()).isEqualTo("acme: rate limited");
    assertThat(registry.certificates().get(NAME))
        .hasValueSatisfying(r -> assertThat(r.lastError()).isEqualTo("acme: rate limited"));
    assertThat(told).containsExactly("shop");
    assertThat(failures).containsExactly("shop " + NAME + " false acme: rate limited");
    failure.set(null);
    manager.reconcile(NAME);
    assertThat(manager.state(NAME).ready()).isTrue();
  }

  @Test
  void aRefusedNameIsNotRetried() {
    failure.set(new IssuanceException("needs dns-01", false));
    assertThatThrownBy(() -> manager.reconcile(NAME)).isInstanceOf(TerminalException.class);
  }

  @Test
  void aFailedRenewalKeepsTheStillValidCertificateServingAndTellsItsServices() {
    manager.reconcile(NAME);
    now.set(START.plus(Duration.ofDays(61)));
    failure.set(new IssuanceException("acme: server error", true));
    assertThatThrownBy(() -> manager.reconcile(NAME)).isInstanceOf(IssuanceException.class);
    assertThat(manager.state(NAME).ready()).isTrue();
    assertThat(failures).containsExactly("shop " + NAME + " true acme: server error");
  }

  @Test
  void aCertificateNoRouteUsesIsRemovedWhenConfiguredSo() {
    manager.reconcile(NAME);
    registry.services().delete("shop", null);
    manager.reconcile(NAME);
    assertThat(registry.certificates().get(NAME)).isEmpty();
    assertThat(manager.state(NAME).phase()).isEqualTo(CertificateState.Phase.UNKNOWN);
  }
}
