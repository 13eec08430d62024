package dev.berth.reconcilers.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.registry.CertificateRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The certificate planner's rules, one case each, with no issuer, disk or registry behind them. */
class CertificatePlannerTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final String NAME = "shop.example.net";
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  static final CertificateIssuer ISSUER =
      new CertificateIssuer() {
        @Override
        public String name() {
          return "acme";
        }

        @Override
        public IssuedCertificate issue(CertificateRequest request) {
          throw new AssertionError("a planner never issues");
        }
      };

  final CertificatePlanner planner = new CertificatePlanner(RENEW_BEFORE, true);

  /**
   * What is stored, as days from now (blank: none), and what the planner decides.
   *
   * <p>{@code files} is the stored files' validity (from, until); {@code recorded} is the registry
   * record's expiry.
   */
  @ParameterizedTest(name = "files {0}..{1}, recorded until {2}: {3}")
  @CsvSource({
    // valid, outside the renewal window: served, looked at again within a day
    "-10, 80, 80, ready",
    // valid, its renewal window opens in a day: still served
    "-10, 31, 31, ready",
    // inside the renewal window: renewed while the current one serves
    "-80, 10, 10, renew",
    // no files at all: issued
    ", , , issue",
    // files but no record: issued again, the files still serve meanwhile
    "-10, 80, , renew",
    // a record but no files (deleted on disk): issued
    ", , 80, issue",
    // files expired: issued, nothing serves meanwhile
    "-100, -1, -1, issue",
    // files not valid yet (a clock set back): issued
    "1, 90, 90, issue",
  })
  void decidesFromWhatIsStoredAndTheTime(
      Integer filesFrom, Integer filesUntil, Integer recordedUntil, String decision) {
    CertificatePlan plan =
        planner.plan(input(Set.of("shop"), files(filesFrom, filesUntil), record(recordedUntil)));

    assertThat(kind(plan)).isEqualTo(decision);
  }

  @Test
  void aReadyCertificateIsLookedAtAgainWhenItsRenewalWindowOpensAtMostADayAway() {
    CertificateRecord renewedIn5Hours = recordUntil(NOW.plus(RENEW_BEFORE).plusSeconds(5 * 3600));
    CertificatePlan soon = planner.plan(input(Set.of("shop"), files(-10, 80), renewedIn5Hours));
    CertificatePlan far = planner.plan(input(Set.of("shop"), files(-10, 80), record(80)));

    assertThat(soon).isEqualTo(new CertificatePlan.Ready(Duration.ofHours(5)));
    assertThat(far).isEqualTo(new CertificatePlan.Ready(CertificatePlanner.MAX_RECHECK));
  }

  @Test
  void aCertificateIssuedAlreadyInsideItsRenewalWindowIsLookedAtAgainInAMinute() {
    assertThat(planner.nextLook(NOW.plus(Duration.ofDays(10)), NOW))
        .isEqualTo(CertificatePlanner.SHORT_LIVED_RECHECK);
  }

  @Test
  void aNameNoIssuerMaySignIsRefusedAndSaysWhetherTheStoredOneStillServes() {
    IssuerChoice none = IssuerChoice.refused("internal name, and only ACME is configured");

    CertificatePlan missing =
        planner.plan(new CertificatePlanInput(NAME, Set.of("shop"), null, null, none, NOW));
    CertificatePlan renewing =
        planner.plan(
            new CertificatePlanInput(NAME, Set.of("shop"), files(-80, 10), record(10), none, NOW));

    assertThat(missing)
        .isEqualTo(
            new CertificatePlan.Refused("internal name, and only ACME is configured", false));
    assertThat(renewing)
        .isEqualTo(new CertificatePlan.Refused("internal name, and only ACME is configured", true));
  }

  @Test
  void aValidCertificateNeedsNoIssuer() {
    CertificatePlan plan =
        planner.plan(
            new CertificatePlanInput(
                NAME,
                Set.of("shop"),
                files(-10, 80),
                record(80),
                IssuerChoice.refused("none"),
                NOW));

    assertThat(plan).isInstanceOf(CertificatePlan.Ready.class);
  }

  @Test
  void aNameNoRouteUsesIsRemovedWhenConfiguredSoAndWhenSomethingIsStored() {
    CertificatePlanner keeping = new CertificatePlanner(RENEW_BEFORE, false);

    assertThat(planner.plan(input(Set.of(), files(-10, 80), record(80))))
        .isEqualTo(new CertificatePlan.Unused(true));
    assertThat(planner.plan(input(Set.of(), null, null)))
        .isEqualTo(new CertificatePlan.Unused(false));
    assertThat(keeping.plan(input(Set.of(), files(-10, 80), record(80))))
        .isEqualTo(new CertificatePlan.Unused(false));
  }

  static CertificatePlanInput input(Set<String> users, Validity files, CertificateRecord record) {
    return new CertificatePlanInput(NAME, users, files, record, IssuerChoice.of(ISSUER), NOW);
  }

  static Validity files(Integer fromDays, Integer untilDays) {
    if (fromDays == null) {
      return null;
    }
    return new Validity(NOW.plus(Duration.ofDays(fromDays)), NOW.plus(Duration.ofDays(untilDays)));
  }

  /** A registry record expiring {@code days} from now, or none. */
  static CertificateRecord record(Integer days) {
    return days == null ? null : recordUntil(NOW.plus(Duration.ofDays(days)));
  }

  static CertificateRecord recordUntil(Instant notAfter) {
    return new CertificateRecord(
        NAME,
        List.of(NAME),
        "acme",
        "valid",
        "01",
        notAfter.minus(Duration.ofDays(90)),
        notAfter,
        "ab:cd",
        "/certs/" + NAME + "/fullchain.pem",
        "/certs/" + NAME + "/privkey.pem",
        null,
        NOW);
  }

  static String kind(CertificatePlan plan) {
    if (plan instanceof CertificatePlan.Ready) {
      return "ready";
    }
    if (plan instanceof CertificatePlan.Issue issue) {
      return issue.stillValid() ? "renew" : "issue";
    }
    if (plan instanceof CertificatePlan.Refused) {
      return "refused";
    }
    return "unused";
  }
}
