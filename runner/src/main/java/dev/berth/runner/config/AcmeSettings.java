package dev.berth.runner.config;

import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.acme.AcmeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Certificates from an ACME CA ({@code [certificates.acme]}), validated with http-01. Choosing the
 * CA agrees to its terms of service.
 *
 * @param directory the CA's directory URL ({@code https://acme-v02.api.letsencrypt.org/directory})
 * @param email where the CA sends expiry mail, or null
 * @param accountKey the account's key (PEM), created with mode 0600 when missing: the key is the
 *     account
 * @param trustFile extra CA certificates (PEM) to trust for the ACME server's own TLS (a private
 *     CA, pebble's), or null for the JVM's only
 * @param eabKeyId the external account binding's key identifier, or null
 * @param eabHmacKeyFile the file holding the binding's base64url HMAC key, or null; set exactly
 *     when {@code eabKeyId} is
 * @param challengePort where http-01 validators connect: nginx serves the challenges there when
 *     routes are enabled, else Berth listens on it itself
 * @param challengeDir where the challenge answers are written for nginx to serve
 * @param keyType the key of the certificates issued
 * @param challengeTimeout how long one name's validation may take
 * @param orderTimeout how long a whole issuance may take
 */
public record AcmeSettings(
    URI directory,
    String email,
    Path accountKey,
    Path trustFile,
    String eabKeyId,
    Path eabHmacKeyFile,
    int challengePort,
    Path challengeDir,
    KeyType keyType,
    Duration challengeTimeout,
    Duration orderTimeout) {

  /** {@code <data_dir>/acme/account.pem}. */
  public static final String DEFAULT_ACCOUNT_KEY = "acme/account.pem";

  /**
   * Port 80: http-01 validators connect there and nowhere else (RFC 8555 8.3). A test CA such as
   * pebble can be told another port.
   */
  public static final int DEFAULT_CHALLENGE_PORT = 80;

  /**
   * {@code <data_dir>/acme-challenges}, not under {@code acme/}: the account key's directory is
   * private (0700), and nginx's unprivileged workers must read the answers.
   */
  public static final String DEFAULT_CHALLENGE_DIR = "acme-challenges";

  /** ECDSA P-256: see {@link KeyType#EC_P256}. */
  public static final KeyType DEFAULT_KEY_TYPE = KeyType.EC_P256;

  public static final Duration DEFAULT_CHALLENGE_TIMEOUT = AcmeConfig.DEFAULT_CHALLENGE_TIMEOUT;
  public static final Duration DEFAULT_ORDER_TIMEOUT = AcmeConfig.DEFAULT_ORDER_TIMEOUT;

  public AcmeSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(accountKey, "accountKey");
    Objects.requireNonNull(challengeDir, "challengeDir");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(challengeTimeout, "challengeTimeout");
    Objects.requireNonNull(orderTimeout, "orderTimeout");
  }

  /** Whether the CA needs an external account binding (ZeroSSL, Google, private CAs). */
  public boolean externalAccountBinding() {
    return eabKeyId != null;
  }
}
