package dev.berth.runner.config;

import dev.berth.acme.AcmeConfig;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads {@code [certificates.acme]}. */
final class AcmeSection {

  static final List<String> KEYS = ConfigKeys.in("certificates.acme");

  /** Every {@link KeyType}, as {@code key_type} spells it. */
  static final List<String> KEY_TYPES =
      Arrays.stream(KeyType.values()).map(AcmeSection::keyTypeName).toList();

  private AcmeSection() {}

  /** The settings, or null when no directory is given (no ACME). */
  static AcmeSetup read(Table acme, Path dataDir) {
    acme.rejectUnknownKeys(KEYS);
    String directoryText = acme.string("directory", "");
    if (directoryText.isEmpty()) {
      List<String> set = KEYS.stream().filter(k -> !k.equals("directory") && acme.has(k)).toList();
      if (!set.isEmpty()) {
        acme.report(
            "directory",
            "must be set when other certificates.acme keys are ("
                + String.join(", ", set)
                + "); remove the [certificates.acme] section to go without ACME");
      }
      return null;
    }
    URI directory = checked(acme, "directory", directoryText, AcmeConfig::directory, URI::create);
    Path accountKey = acme.path("account_key");
    accountKey = accountKey != null ? accountKey : dataDir.resolve(AcmeSetup.DEFAULT_ACCOUNT_KEY);
    CertificatesSection.readableIfPresent(acme, "account_key", accountKey);
    Path trustFile = acme.path("trust_file");
    if (trustFile != null) {
      FileChecks.certificates(acme, "trust_file", trustFile);
      String broken = directory == null ? null : AcmeConfig.extraTrust(directory);
      if (broken != null) {
        acme.report(
            "trust_file",
            broken + ", but certificates.acme.directory is " + Rules.quote(directoryText));
        trustFile = null;
      }
    }
    String eabKeyId = acme.string("eab_key_id", "");
    Path eabHmacKeyFile = acme.path("eab_hmac_key_file");
    String hmacKey = externalAccountBinding(acme, eabKeyId, eabHmacKeyFile);
    Path challengeDir = acme.path("challenge_dir");
    String keyType = acme.choice("key_type", KEY_TYPES, keyTypeName(AcmeConfig.DEFAULT_KEY_TYPE));
    String email = acme.string("email", "");
    email =
        email.isEmpty() ? null : checked(acme, "email", email, AcmeConfig::contactEmail, e -> e);
    int challengePort =
        (int)
            acme.integer(
                "challenge_port", 1, Rules.MAX_PORT, NginxConfig.AcmeChallenge.DEFAULT_PORT);
    AcmeConfig.Builder config =
        AcmeConfig.builder(
                // A null directory has been reported: the loader throws before this one is used.
                directory != null ? directory : URI.create("https://invalid.invalid/"), accountKey)
            .contactEmail(email)
            .extraTrust(trustFile)
            .keyType(keyType(keyType))
            .challengeTimeout(
                acme.duration("challenge_timeout", AcmeConfig.DEFAULT_CHALLENGE_TIMEOUT))
            .orderTimeout(acme.duration("order_timeout", AcmeConfig.DEFAULT_ORDER_TIMEOUT));
    if (hmacKey != null) {
      config.externalAccountBinding(eabKeyId, hmacKey);
    }
    return new AcmeSetup(
        config.build(),
        eabHmacKeyFile,
        new NginxConfig.AcmeChallenge(
            challengePort,
            challengeDir != null
                ? challengeDir
                : dataDir.resolve(AcmeSetup.DEFAULT_CHALLENGE_DIR)));
  }

  /** {@code text} made into a value when {@code rule} holds; null after reporting when not. */
  private static <T> T checked(
      Table acme,
      String key,
      String text,
      Function<String, String> rule,
      Function<String, T> value) {
    String broken = rule.apply(text);
    if (broken != null) {
      acme.report(key, broken);
      return null;
    }
    return value.apply(text);
  }

  /** The key type {@code key_type} names; see {@link #KEY_TYPES}. */
  static KeyType keyType(String name) {
    return KeyType.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** How {@code key_type} spells a {@link KeyType}: lowercase, with a dash. */
  static String keyTypeName(KeyType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Both or neither; the HMAC key file must hold a base64url key, as the CA hands it out.
   *
   * @return the key, or null when there is no binding or it is broken (after reporting)
   */
  private static String externalAccountBinding(Table acme, String keyId, Path hmacKeyFile) {
    if (keyId.isEmpty() && hmacKeyFile != null) {
      acme.report(
          "eab_key_id",
          "must be set together with eab_hmac_key_file: an external account binding needs both");
    }
    if (!keyId.isEmpty() && hmacKeyFile == null) {
      acme.report(
          "eab_hmac_key_file",
          "must be set together with eab_key_id: an external account binding needs both");
    }
    if (hmacKeyFile == null) {
      return null;
    }
    String text = FileChecks.readable(acme, "eab_hmac_key_file", hmacKeyFile);
    if (text == null) {
      return null;
    }
    String key = text.strip();
    if (AcmeConfig.ExternalAccountBinding.hmacKey(key) != null) {
      acme.report(
          "eab_hmac_key_file",
          "must hold the base64url HMAC key the CA handed out, and nothing else; "
              + Rules.quote(hmacKeyFile.toString())
              + " does not");
      return null;
    }
    return keyId.isEmpty() ? null : key;
  }
}
