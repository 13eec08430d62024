package dev.berth.runner.config;

import dev.berth.reconcilers.cert.KeyType;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads {@code [certificates.acme]}. */
final class AcmeSection {

  static final List<String> KEYS =
      List.of(
          "directory",
          "email",
          "account_key",
          "trust_file",
          "eab_key_id",
          "eab_hmac_key_file",
          "challenge_port",
          "challenge_dir",
          "key_type",
          "challenge_timeout",
          "order_timeout");

  /** Every {@link KeyType}, as {@code key_type} spells it. */
  static final List<String> KEY_TYPES =
      Arrays.stream(KeyType.values()).map(AcmeSection::keyTypeName).toList();

  private static final List<String> SCHEMES = List.of("https", "http", "acme");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+=*");

  private AcmeSection() {}

  /** The settings, or null when no directory is given (no ACME). */
  static AcmeSettings read(Table acme, Path dataDir) {
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
    URI directory = directory(acme, directoryText);
    Path accountKey = acme.path("account_key");
    accountKey =
        accountKey != null ? accountKey : dataDir.resolve(AcmeSettings.DEFAULT_ACCOUNT_KEY);
    CertificatesSection.readableIfPresent(acme, "account_key", accountKey);
    Path trustFile = acme.path("trust_file");
    if (trustFile != null) {
      FileChecks.certificates(acme, "trust_file", trustFile);
      if (directory != null && !"https".equals(directory.getScheme())) {
        acme.report(
            "trust_file",
            "needs an https directory URL (it adds trust for the ACME server's TLS), but"
                + " certificates.acme.directory is "
                + Rules.quote(directoryText));
      }
    }
    String eabKeyId = acme.string("eab_key_id", "");
    Path eabHmacKeyFile = acme.path("eab_hmac_key_file");
    externalAccountBinding(acme, eabKeyId, eabHmacKeyFile);
    Path challengeDir = acme.path("challenge_dir");
    String keyType = acme.choice("key_type", KEY_TYPES, "ec-p256");
    // A null directory has been reported: the loader throws before this placeholder is seen.
    return new AcmeSettings(
        directory != null ? directory : URI.create("https://invalid.invalid/"),
        email(acme),
        accountKey,
        trustFile,
        eabKeyId.isEmpty() ? null : eabKeyId,
        eabHmacKeyFile,
        (int) acme.integer("challenge_port", 1, 65535, AcmeSettings.DEFAULT_CHALLENGE_PORT),
        challengeDir != null ? challengeDir : dataDir.resolve(AcmeSettings.DEFAULT_CHALLENGE_DIR),
        keyType(keyType),
        acme.duration("challenge_timeout", AcmeSettings.DEFAULT_CHALLENGE_TIMEOUT),
        acme.duration("order_timeout", AcmeSettings.DEFAULT_ORDER_TIMEOUT));
  }

  /** The key type {@code key_type} names; see {@link #KEY_TYPES}. */
  static KeyType keyType(String name) {
    return KeyType.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** How {@code key_type} spells a {@link KeyType}: lowercase, with a dash. */
  static String keyTypeName(KeyType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static URI directory(Table acme, String text) {
    try {
      URI uri = new URI(text);
      boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (SCHEMES.contains(uri.getScheme()) && (!web || uri.getHost() != null)) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    acme.report(
        "directory",
        "must be the CA's directory URL such as"
            + " \"https://acme-v02.api.letsencrypt.org/directory\", was "
            + Rules.quote(text));
    return null;
  }

  private static String email(Table acme) {
    String text = acme.string("email", "");
    if (text.isEmpty()) {
      return null;
    }
    if (!EMAIL.matcher(text).matches()) {
      acme.report(
          "email", "must be an email address such as ops@example.com, was " + Rules.quote(text));
    }
    return text;
  }

  /** Both or neither; the HMAC key file must hold a base64url key, as the CA hands it out. */
  private static void externalAccountBinding(Table acme, String keyId, Path hmacKeyFile) {
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
      return;
    }
    String text = FileChecks.readable(acme, "eab_hmac_key_file", hmacKeyFile);
    if (text == null) {
      return;
    }
    String key = text.strip();
    if (!BASE64URL.matcher(key).matches() || !decodes(key)) {
      acme.report(
          "eab_hmac_key_file",
          "must hold the base64url HMAC key the CA handed out, and nothing else; "
              + Rules.quote(hmacKeyFile.toString())
              + " does not");
    }
  }

  private static boolean decodes(String key) {
    try {
      Base64.getUrlDecoder().decode(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
