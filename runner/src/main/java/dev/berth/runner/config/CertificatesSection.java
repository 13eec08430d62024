package dev.berth.runner.config;

import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.spec.model.DurationSyntax;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads {@code [certificates]}, {@code [certificates.local_ca]}; ACME is {@link AcmeSection}. */
final class CertificatesSection {

  static final List<String> KEYS = ConfigKeys.in("certificates");
  static final List<String> LOCAL_CA_KEYS = ConfigKeys.in("certificates.local_ca");

  private CertificatesSection() {}

  static CertificatesConfig read(Table certificates, Path dataDir) {
    certificates.rejectUnknownKeys(KEYS);
    Path dir = certificates.path("dir");
    Duration renewBefore =
        certificates.duration("renew_before", CertificatesConfig.DEFAULT_RENEW_BEFORE);
    return new CertificatesConfig(
        dir != null ? dir : dataDir.resolve(CertificatesConfig.DEFAULT_DIR),
        renewBefore,
        certificates.bool("remove_unused", CertificatesConfig.DEFAULT_REMOVE_UNUSED),
        internalSuffixes(certificates),
        AcmeSection.read(certificates.section("acme"), dataDir),
        localCa(certificates.section("local_ca"), dataDir, renewBefore));
  }

  private static List<String> internalSuffixes(Table certificates) {
    if (!certificates.has("internal_suffixes")) {
      return CertificatesConfig.DEFAULT_INTERNAL_SUFFIXES;
    }
    List<String> suffixes = new ArrayList<>();
    for (Table.Element element : certificates.stringElements("internal_suffixes")) {
      // Hostnames are case-insensitive; the policy compares lowercase names.
      String text = element.text().toLowerCase(Locale.ROOT);
      String broken =
          text.startsWith(".") ? Rules.hostname(text.substring(1), false) : "must start with '.'";
      if (broken != null) {
        certificates.reportAt(
            element.path(),
            "must be a domain suffix starting with a dot, such as \".internal\", was "
                + Rules.quote(element.text()));
      } else {
        suffixes.add(text);
      }
    }
    return suffixes;
  }

  /**
   * {@code [certificates.local_ca] validity}: how long a leaf the local CA issues is valid, which
   * must be longer than {@code renew_before}; on a node and for the operator alike.
   */
  static Duration leafValidity(Table localCa, Duration renewBefore) {
    Duration validity = localCa.duration("validity", LocalCaIssuer.DEFAULT_LEAF_VALIDITY);
    if (validity.compareTo(renewBefore) <= 0) {
      localCa.report(
          "validity",
          "must be longer than certificates.renew_before ("
              + DurationSyntax.format(renewBefore)
              + "), was "
              + Rules.quote(DurationSyntax.format(validity))
              + ": every certificate would be due for renewal as soon as it is issued");
    }
    return validity;
  }

  private static LocalCaConfig localCa(Table localCa, Path dataDir, Duration renewBefore) {
    localCa.rejectUnknownKeys(LOCAL_CA_KEYS);
    boolean enabled = localCa.bool("enabled", LocalCaConfig.DEFAULT_ENABLED);
    Path dir = localCa.path("dir");
    Duration validity = leafValidity(localCa, renewBefore);
    return new LocalCaConfig(
        enabled,
        dir != null ? dir : dataDir.resolve(CertificatesConfig.DEFAULT_LOCAL_CA_DIR),
        validity);
  }

  /** A file that is created when missing, but must be readable when it is there. */
  static void readableIfPresent(Table table, String key, Path file) {
    if (Files.exists(file)) {
      FileChecks.readable(table, key, file);
    }
  }
}
